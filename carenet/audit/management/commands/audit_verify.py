from django.core.management.base import BaseCommand, CommandError

from carenet.audit.verify import verify_chains


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chains, check them against their signed daily checkpoints, "
        "and report the first broken link of each."
    )

    def handle(self, *args, **options) -> None:
        checked, broken = verify_chains()
        if broken:
            for link in broken:
                where = f"event {link.event_id}: " if link.event_id else ""
                self.stderr.write(f"BROKEN chain {link.municipality_id or 'platform'}: {where}{link.reason}")
            raise CommandError(f"{len(broken)} broken chain(s) in {checked} events checked")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {checked} events checked"))
