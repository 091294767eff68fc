"""Load demo data for every role; safe to run again (each step is idempotent)."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cxc_portal.core.demo import DEMO_PASSWORD, SeedContext

#: The steps, in the order the rooms depend on each other.
STEPS = (
    "cxc_portal.demo.users.seed",
    "partnerships.demo.seed_partnerships",
    "organisations.demo.seed",
    "partnerships.demo.seed_interests_and_matches",
    "exchanges.demo.seed",
    "reports.demo.seed_documents",
    "reports.demo_far.seed",
    "payments.demo_files.seed",
    "payments.demo.seed",
)


class Command(BaseCommand):
    help = "Load reference and demo data for every role and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Date to build the demo around (default: today).",
        )

    def handle(self, *args, today=None, **options):
        # The demo accounts' password and TOTP secret are published (README, this command's
        # output): in production they would be open doors, admin@cxc.local a superuser.
        if settings.PRODUCTION or settings.DJANGO_ENV == "production":
            raise CommandError(
                "seed_demo refuses to run in production (DJANGO_ENV=production): it creates "
                "accounts whose password and two-factor secret are public."
            )
        ctx = SeedContext(today=today or timezone.localdate(), log=self.stdout.write)
        with transaction.atomic():
            for step in STEPS:
                import_string(step)(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        seen = set()
        for login in ctx.logins:
            if login.email in seen:
                continue
            seen.add(login.email)
            note = f" — {login.note}" if login.note else ""
            self.stdout.write(f"  {login.role:<34} {login.email}{note}")
        self.stdout.write(
            "Staff accounts use two-factor authentication: "
            "`python manage.py demo_totp` prints the current code."
        )
