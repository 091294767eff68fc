from django.urls import path

from . import views, views_bank, views_evidence

app_name = "payments"

urlpatterns = [
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
