"""Print the current TOTP code of the demo staff accounts (demo data only)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cxc_portal.core.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code shared by the demo staff accounts."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_totp is for demo data only.")
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
