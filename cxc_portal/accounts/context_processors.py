from django.conf import settings

from .roles import user_access, user_roles


def roles(request):
    """Expose the user's roles to every template (navigation differs by role)."""
    user = getattr(request, "user", None)
    # The finance pages (payments room): VOP staff who may pay and the Support Office. Read
    # from the access already cached by ``user_roles`` (no extra query).
    access = user_access(user) if user is not None else None
    return {
        "roles": user_roles(user) if user is not None else None,
        "finance_nav": bool(access and (access.support_office or access.payment_partnerships)),
        "support_office_email": settings.SUPPORT_OFFICE_EMAIL,
    }
