from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("undeliverable/", views.undeliverable_list, name="undeliverable"),
    path("undeliverable/<int:pk>/retry/", views.undeliverable_retry, name="undeliverable_retry"),
]
