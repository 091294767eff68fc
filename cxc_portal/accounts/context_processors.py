from django.conf import settings

from .roles import user_roles


def roles(request):
    """Expose the user's roles to every template (navigation differs by role)."""
    user = getattr(request, "user", None)
    return {
        "roles": user_roles(user) if user is not None else None,
        "support_office_email": settings.SUPPORT_OFFICE_EMAIL,
    }
