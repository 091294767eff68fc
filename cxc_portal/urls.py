"""Root URLs: the wiring level, the one place that knows every room."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import views

# The admin has no login form of its own: /admin/login/ sends to allauth's login (rate limits,
# second factor), and the MFA middleware keeps half-signed-in sessions out of /admin/.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; answer instead of a 404.
    # Resolved at request time: the manifest of hashed names may not exist at import time.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("organisations/", include("organisations.urls")),
    path("eligibility/", include("organisations.urls_public")),
    path("partnerships/", include("partnerships.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("payments/", include("payments.urls")),
    path("lump-sum/", include("payments.urls_public")),
    path("documents/", include("reports.urls")),
    path("dashboards/", include("reports.urls_dashboards")),
    path("notifications/", include("cxc_portal.notifications.urls")),
]
