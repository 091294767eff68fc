"""Portal-wide pages: the home page (public explainer or the user's dashboard) and errors."""

from django.shortcuts import render

from .dashboard import dashboard_context


def home(request):
    """Public explanation of the programme for newcomers; what is waiting for them, per role,
    once logged in."""
    context = dashboard_context(user=request.user) if request.user.is_authenticated else {}
    return render(request, "home.html", context)


def csrf_failure(request, reason: str = ""):
    """Styled 403 for a failed CSRF check (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
