"""Documents generated from an exchange's data (R-DOC-1, R-DOC-5): the Commitment to Quality
(CTQ, R-DOC-2) and the Financial Agreement (FA, R-DOC-3), versioned and rendered as PDF."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchanges.models import Exchange


class DocumentKind(models.TextChoices):
    CTQ = "CTQ", _("Commitment to Quality")
    FA = "FA", _("Financial Agreement")


class DocumentStatus(models.TextChoices):
    RENDERING = "rendering", _("Being prepared")
    READY = "ready", _("Ready")
    VOID = "void", _("Void (replaced by a later version)")


class Document(models.Model):
    """R-DOC-5: one version of one document of an exchange.

    ``data`` is the exact content rendered (a plain JSON value built by
    ``reports.selectors.document_data``) and ``data_hash`` its SHA-256 over canonical JSON: a
    refresh with unchanged data makes no new version. ``file`` is a name in private storage
    (``MEDIA_ROOT/documents/…``), served only through the permission-checked download view;
    ``sha256`` is the hash of the file's bytes (what the public verify page matches).
    """

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=4, choices=DocumentKind.choices)
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    data_hash = models.CharField(max_length=64)
    file = models.CharField(max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.RENDERING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # R-DOC-7: once fully signed, the rendering plus a signature page, PAdES-sealed by the portal
    # (``reports.sealing``); ``sealed_lines`` are the lines that page prints (the signatories'
    # names, shown on the verify page for an uploaded copy only).
    sealed_file = models.CharField(max_length=255, blank=True, default="")
    sealed_sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    sealed_lines = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["exchange", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "kind", "version"], name="document_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="document_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY) | (~Q(file="") & ~Q(sha256="")),
                name="document_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(sealed_at__isnull=True) | (~Q(sealed_file="") & ~Q(sealed_sha256="")),
                name="document_sealed_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} of {self.exchange_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def is_rendering(self) -> bool:
        return self.status == DocumentStatus.RENDERING

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None
