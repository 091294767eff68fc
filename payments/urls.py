from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/<str:country>/", views.rate_history_view, name="rate_history"),
]
