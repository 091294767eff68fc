from django.urls import path

from . import views, views_bank, views_evidence, views_finance

app_name = "payments"

urlpatterns = [
    path("", views_finance.payment_list_view, name="payment_list"),
    path("<int:pk>/paid/", views_finance.payment_mark_paid_view, name="mark_paid"),
    path("transfer/", views_finance.payment_transfer_view, name="transfer"),
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/<str:country>/", views.rate_history_view, name="rate_history"),
    # Bank details (R-PAY-6) and evidence (R-PAY-4 (c)).
    path(
        "organisations/<int:pk>/bank/",
        views_bank.bank_account,
        name="bank_account",
    ),
    path("exchanges/<int:exchange_id>/evidence/", views_evidence.evidence_page, name="evidence"),
    path("evidence/<int:pk>/accept/", views_evidence.evidence_accept_view, name="evidence_accept"),
    path("evidence/<int:pk>/reject/", views_evidence.evidence_reject_view, name="evidence_reject"),
    path("evidence/<int:pk>/download/", views_evidence.evidence_download, name="evidence_download"),
]
