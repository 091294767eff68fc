"""Demo step 1: the people who are not tied to a partnership or an organisation."""

from cxc_portal.core.demo import SeedContext, demo_user


def seed(ctx: SeedContext) -> None:
    demo_user(
        ctx,
        email="admin@cxc.local",
        first_name="Ada",
        last_name="Admin",
        role="superuser",
        note="Django admin",
        mfa=True,
        is_staff=True,
        is_superuser=True,
    )
    demo_user(
        ctx,
        email="support@cxc.local",
        first_name="Sofia",
        last_name="Support",
        role="Support Office",
        note="reference data in the admin",
        mfa=True,
        is_support_office=True,
        is_staff=True,
    )
    demo_user(
        ctx,
        email="newcomer@cxc.local",
        first_name="Nina",
        last_name="Newcomer",
        role="applicant (no organisation yet)",
    )
