import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carenet.accounts.models import User
from carenet.onboarding.services import municipality_onboard
from carenet.onboarding.tabular import OnboardingRefused


class Command(BaseCommand):
    help = (
        "Onboard a new municipality from its profile (JSON) and four files: organisations, services (spreadsheet "
        "or HSDS package), staff and the action plan's table. Everything is checked first; one error refuses all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", required=True, help="username of the platform administrator doing it")
        parser.add_argument("--profile", required=True, type=Path)
        parser.add_argument("--organisations", required=True, type=Path)
        parser.add_argument("--services", required=True, type=Path)
        parser.add_argument("--users", required=True, type=Path)
        parser.add_argument("--plan", required=True, type=Path)
        parser.add_argument("--plan-mapping", type=Path, default=None)
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"], is_superuser=True, is_active=True).first()
        if actor is None:
            raise CommandError(f"{options['actor']}: no active platform administrator of that name")
        try:
            profile = json.loads(options["profile"].read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{options['profile']}: {exc}") from exc
        paths = {k: options[k] for k in ("organisations", "services", "users", "plan", "plan_mapping")}
        handles = {k: (File(p.open("rb"), name=p.name) if p else None) for k, p in paths.items()}
        try:
            summary = municipality_onboard(
                actor=actor,
                profile=profile,
                organisations=handles["organisations"],
                services=handles["services"],
                users=handles["users"],
                plan=handles["plan"],
                plan_mapping=handles["plan_mapping"],
                dry_run=options["dry_run"],
            )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError("only a platform administrator onboards a municipality") from exc
        except OnboardingRefused as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"refused: {len(exc.messages)} error(s); nothing was saved") from exc
        finally:
            for handle in handles.values():
                if handle is not None:
                    handle.close()
        verb = "checked (dry run, nothing saved)" if summary.dry_run else "onboarded"
        self.stdout.write(f"{summary.municipality.name} ({summary.municipality.slug}): {verb}")
        for name, counts in summary.counts.items():
            self.stdout.write(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if summary.new_usernames and not summary.dry_run:
            self.stdout.write(
                "  new accounts (each sets a password through “Forgot your password”, /account/password/reset/): "
                + ", ".join(summary.new_usernames)
            )
