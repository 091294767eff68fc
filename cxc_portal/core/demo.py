"""What every room's ``demo.seed`` step shares: the demo password, logins, idempotent users.

Kernel, not wiring: each room's ``demo.py`` imports it, and ``cxc_portal.demo`` (the wiring that
runs the steps in order) sits above every room.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

#: Every demo account uses this password (demo data only: never seeded in production).
DEMO_PASSWORD = "cxc-demo-2026"
#: Base32 TOTP secret of every demo staff account; ``manage.py demo_totp`` prints today's code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    note: str = ""


@dataclass
class SeedContext:
    """Passed from step to step: today's date and the logins to print at the end."""

    today: date
    logins: list[Login] = field(default_factory=list)
    log: Callable[[str], object] = print

    def say(self, text: str) -> None:
        self.log(text)


def demo_user(
    ctx: SeedContext,
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    note: str = "",
    mfa: bool = False,
    **flags,
):
    """Create (or find) a verified demo user with the demo password; idempotent."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, **flags},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    ctx.logins.append(Login(role=role, email=email, note=note))
    return user
