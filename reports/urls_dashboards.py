"""The KPI dashboards' URLs, mounted at /dashboards/ (issue 13)."""

from django.urls import path

from . import views_dashboards as views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("partnership/<slug:slug>/", views.partnership_dashboard, name="partnership"),
    path("exchanges.csv", views.exchange_export, name="exchange_export"),
]
