from django.core.management.base import BaseCommand

from accounts.demo import DEMO_EMAIL, seed_demo_data


class Command(BaseCommand):
    help = "Create the demo accounts (and, as apps add them, demo jobs and applications)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            dest="only_if_empty",
            help="Do nothing when the demo user already exists (first-run seeding).",
        )

    def handle(self, *args, only_if_empty=False, **options):
        from accounts.models import User

        if only_if_empty and User.objects.filter(email=DEMO_EMAIL).exists():
            self.stdout.write("Demo data already present.")
            return
        summary = seed_demo_data()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}"))
