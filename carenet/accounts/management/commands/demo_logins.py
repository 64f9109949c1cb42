from django.core.management.base import BaseCommand

from carenet.accounts.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, org in demo_logins():
            self.stdout.write(f"  {username:<28} {role:<28} {org}")
