from django.urls import path

from . import views, views_finance

app_name = "payments"

urlpatterns = [
    path("", views_finance.payment_list_view, name="payment_list"),
    path("<int:pk>/paid/", views_finance.payment_mark_paid_view, name="mark_paid"),
    path("transfer/", views_finance.payment_transfer_view, name="transfer"),
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/<str:country>/", views.rate_history_view, name="rate_history"),
]
