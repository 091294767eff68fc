"""Documents generated from an exchange's data (R-DOC-1, R-DOC-5): the Commitment to Quality
(CTQ, R-DOC-2) and the Financial Agreement (FA, R-DOC-3), versioned and rendered as PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchanges.models import Exchange, Party


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
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} of {self.exchange_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def is_rendering(self) -> bool:
        return self.status == DocumentStatus.RENDERING


class Signature(models.Model):
    """R-DOC-2, R-DOC-3: one party's signature of one version of a document.

    ``signed_sha256`` is the SHA-256 of the exact PDF bytes the signer had (the version's file);
    ``typed_name`` the full name they typed; ``ip`` and ``user_agent`` where from. A new version
    of the document sets ``voided_at`` (R-DOC-5): the party signs again. One *live* signature per
    (version, party), enforced by the database.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=4, choices=Party.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True, default="")
    signed_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "party"],
                condition=Q(voided_at__isnull=True),
                name="signature_one_live_per_party",
            ),
            models.CheckConstraint(
                condition=Q(party__in=Party.values), name="signature_party_known"
            ),
            models.CheckConstraint(
                condition=~Q(typed_name="") & ~Q(signed_sha256=""), name="signature_complete"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} on {self.document}"

    @property
    def is_live(self) -> bool:
        return self.voided_at is None
