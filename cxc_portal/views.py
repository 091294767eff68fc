"""Portal-wide pages: the home page (public explainer or the user's dashboard) and errors."""

from django.shortcuts import render


def home(request):
    """Public explanation of the programme for newcomers; role-based dashboard once logged in."""
    return render(request, "home.html")


def csrf_failure(request, reason: str = ""):
    """Styled 403 for a failed CSRF check (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
