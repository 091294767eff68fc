"""The documents room's URLs, mounted at /documents/."""

from django.urls import path

from . import views, views_signing

app_name = "reports"

urlpatterns = [
    path("verify/", views.verify_view, name="verify"),
    path("exchange/<int:exchange_id>/", views.document_cards_view, name="cards"),
    path("exchange/<int:exchange_id>/prepare/", views.document_prepare_view, name="prepare"),
    path("<int:pk>/download/", views.document_download_view, name="download"),
    path("<int:pk>/preview/", views.document_preview_view, name="preview"),
]

# --- sign ---
urlpatterns += [
    path("<int:pk>/sign/<str:party>/", views_signing.signature_add_view, name="sign"),
]
