"""Root URLs: the wiring level, the one place that knows every room."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("organisations/", include("organisations.urls")),
    path("eligibility/", include("organisations.urls_public")),
    path("partnerships/", include("partnerships.urls")),
    path("exchanges/", include("exchanges.urls")),
]
