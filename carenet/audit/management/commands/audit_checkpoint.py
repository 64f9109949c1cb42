from django.core.management.base import BaseCommand

from carenet.audit.services import audit_checkpoint_make


class Command(BaseCommand):
    help = "Sign today's checkpoint of every audit chain not yet anchored today (also a scheduled task)."

    def handle(self, *args, **options) -> None:
        made = audit_checkpoint_make()
        for checkpoint in made:
            self.stdout.write(
                f"chain {checkpoint.chain} checkpoint {checkpoint.number}: event {checkpoint.seq} "
                f"{checkpoint.head_hash} signature {checkpoint.signature}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(made)} checkpoint(s) made"))
