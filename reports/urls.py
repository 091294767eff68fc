"""The documents room's URLs, mounted at /documents/."""

from django.urls import path

from . import views, views_far, views_signing

app_name = "reports"

urlpatterns = [
    path("verify/", views.verify_view, name="verify"),
    path("exchange/<int:exchange_id>/", views.document_cards_view, name="cards"),
    path("exchange/<int:exchange_id>/prepare/", views.document_prepare_view, name="prepare"),
    path("<int:pk>/download/", views.document_download_view, name="download"),
    path("<int:pk>/preview/", views.document_preview_view, name="preview"),
    # The Support Office's PDFs given up on (PdfWork); source is "document" or "report".
    path("pdf-failures/", views.pdf_failures_view, name="pdf_failures"),
    path(
        "pdf-failures/<str:source>/<int:pk>/retry/",
        views.pdf_retry_view,
        name="pdf_retry",
    ),
    # Final Activity Reports (helper "far"): side is "host" (Annex 2) or "visitor" (Annex 3).
    path("far/<int:exchange_id>/<str:side>/", views_far.far_detail_view, name="far_detail"),
    path("far/<int:exchange_id>/<str:side>/edit/", views_far.far_edit_view, name="far_edit"),
    path(
        "far/<int:exchange_id>/<str:side>/validate/",
        views_far.far_validate_view,
        name="far_validate",
    ),
    path("far/<int:exchange_id>/<str:side>/return/", views_far.far_return_view, name="far_return"),
    path(
        "far/<int:exchange_id>/<str:side>/download/",
        views_far.far_download_view,
        name="far_download",
    ),
]

# --- sign ---
urlpatterns += [
    path("<int:pk>/sign/<str:party>/", views_signing.signature_add_view, name="sign"),
]
