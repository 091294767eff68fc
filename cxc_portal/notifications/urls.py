from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("undeliverable/", views.undeliverable_list, name="undeliverable"),
    path("undeliverable/<int:pk>/retry/", views.undeliverable_retry, name="undeliverable_retry"),
    # Development only (404 elsewhere): the full text of the e-mails the console shows in a line.
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", views.outbox_detail, name="outbox_detail"),
]
