"""Documents generated from an exchange's data (R-DOC-1, R-DOC-5): the Commitment to Quality
(CTQ, R-DOC-2) and the Financial Agreement (FA, R-DOC-3), versioned and rendered as PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchanges.models import Exchange, Party
from partnerships.models import Partnership


class DocumentKind(models.TextChoices):
    CTQ = "CTQ", _("Commitment to Quality")
    FA = "FA", _("Financial Agreement")


class DocumentStatus(models.TextChoices):
    RENDERING = "rendering", _("Being prepared")
    READY = "ready", _("Ready")
    VOID = "void", _("Void (replaced by a later version)")


class PdfWork(models.Model):
    """The PDF work a row still owes — a document version's rendering then its seal (R-DOC-5,
    R-DOC-7), a final report's rendering (R-DOC-4) — and how it went: the beat sweep
    (``services.renders_requeue_stalled``) counts each time it queues it again in
    ``pdf_attempts``; after ``settings.CXC_RENDER_MAX_ATTEMPTS`` it gives up and stamps
    ``pdf_failed_at``, which puts the row on the Support Office's work queue ("PDFs that could
    not be made") instead of re-queuing it for ever. ``pdf_error`` is the last error a worker
    met. A success clears all three; so does the Support Office's "Try again"."""

    pdf_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    pdf_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_error = models.TextField(blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def pdf_work_reset(self) -> list[str]:
        """A fresh series (after a success, a new submission or "Try again"): the fields set,
        for ``save(update_fields=...)``."""
        self.pdf_attempts, self.pdf_failed_at, self.pdf_error = 0, None, ""
        return list(PDF_WORK_FIELDS)


#: The ``PdfWork`` fields a success or a "Try again" resets.
PDF_WORK_FIELDS = ("pdf_attempts", "pdf_failed_at", "pdf_error")


class Document(PdfWork):
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
    # R-DOC-2, R-DOC-3: the partnerships' signatures this version still waits for (the HOP
    # signs the CTQ, the VOP the CTQ and the FA), set when the version is made and cleared by
    # ``services_signing.signature_add`` — what the work queue's documents to sign read from
    # the partial index below instead of probing the signatures of every draft's documents.
    awaits_hop = models.BooleanField(default=True, editable=False)
    awaits_vop = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["exchange", "kind", "-version"]
        # The work queue's documents to sign (issue 13): the current versions still waiting
        # for a partnership's signature, by exchange.
        indexes = [
            models.Index(
                fields=["exchange", "kind"],
                include=["id", "version", "awaits_hop", "awaits_vop"],
                condition=Q(status="ready") & (Q(awaits_hop=True) | Q(awaits_vop=True)),
                name="document_awaits_partnership",
            ),
            # The Support Office's "PDFs that could not be made": the few given up on.
            models.Index(
                fields=["pdf_failed_at"],
                condition=Q(pdf_failed_at__isnull=False),
                name="document_pdf_failed",
            ),
        ]
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


# --- Final Activity Reports (helper "far") --------------------------------------------------------


class FinalReportSide(models.TextChoices):
    """R-DOC-4: Annex 2 is the host's questionnaire, Annex 3 the visitor's."""

    HOST = "host", _("Host (Annex 2)")
    VISITOR = "visitor", _("Visitor (Annex 3)")


class FinalReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for a correction")
    VALIDATED = "validated", _("Validated")


_SCORE_RANGE = {"gte": 1, "lte": 5}


def _score_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True})
        | Q(**{f"{name}__gte": _SCORE_RANGE["gte"], f"{name}__lte": _SCORE_RANGE["lte"]}),
        name=f"final_report_{name}_1_to_5",
    )


def reviewer_of(exchange: Exchange, side: str) -> int:
    """R-DOC-6: the partnership that validates ``side``'s report: the VOP the visitor's, the
    HOP the host's."""
    return exchange.vop_id if side == FinalReportSide.VISITOR else exchange.hop_id


class FinalReport(PdfWork):
    """R-DOC-4, R-DOC-6: one side's Final Activity Report of one exchange (Annex 2 for the host,
    Annex 3 for the visitor), written by that side's representatives and validated (or returned
    once for a correction) by that side's partnership: the VOP for the visitor, the HOP for the
    host. The visitor's validated report is R-PAY-4 (a)+(b).

    The answers are typed columns, the satisfaction scores checked 1–5 in the database; the
    per-objective scores (``[{"objective": text, "score": n}]``, one per line of the exchange's
    objectives) and the activities that took place (action-plan ids) are JSON lists validated by
    ``far_rules.answer_refusals`` before every save. ``file``/``sha256`` are the PDF rendered on
    submission (private storage, served only through the permission-checked view).
    """

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="final_reports")
    side = models.CharField(max_length=8, choices=FinalReportSide.choices)
    #: R-DOC-6: the partnership that validates it — the exchange's VOP for the visitor's, its
    #: HOP for the host's (fixed once contracted), copied on the first save: the work queue's
    #: reports to validate are read from the partial index below, without the exchanges.
    reviewer = models.ForeignKey(
        Partnership, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        max_length=10, choices=FinalReportStatus.choices, default=FinalReportStatus.DRAFT
    )
    # The answers (R-DOC-4).
    objective_scores = models.JSONField(default=list, blank=True)
    activities_done = models.JSONField(default=list, blank=True)
    results_achieved = models.BooleanField(null=True, blank=True)
    results_text = models.TextField(blank=True, default="")
    collaborations = models.BooleanField(null=True, blank=True)
    collaborations_text = models.TextField(blank=True, default="")
    follow_up = models.TextField(blank=True, default="")
    satisfaction_counterpart = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_partnership = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_overall = models.PositiveSmallIntegerField(null=True, blank=True)
    would_recommend = models.BooleanField(null=True, blank=True)
    comments = models.TextField(blank=True, default="")
    # The workflow (R-DOC-6).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(blank=True, default="")
    returned_count = models.PositiveSmallIntegerField(default=0)
    # The PDF of the last submission (R-DOC-5).
    file = models.CharField(max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exchange", "side"]
        # The work queue's reports to validate (issue 13): a partnership's, the oldest
        # submission first.
        indexes = [
            models.Index(
                fields=["reviewer", "submitted_at", "id"],
                include=["exchange", "side"],
                condition=Q(status="submitted"),
                name="final_report_to_validate",
            ),
            # The dashboards' satisfaction (issue 13): the submitted reports' overall scores
            # by exchange, read from the index alone.
            models.Index(
                fields=["exchange"],
                include=["satisfaction_overall"],
                condition=Q(first_submitted_at__isnull=False),
                name="final_report_submitted_score",
            ),
            # The Support Office's "PDFs that could not be made": the few given up on.
            models.Index(
                fields=["pdf_failed_at"],
                condition=Q(pdf_failed_at__isnull=False),
                name="final_report_pdf_failed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "side"], name="final_report_one_per_side"),
            models.CheckConstraint(
                condition=Q(side__in=FinalReportSide.values), name="final_report_side_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FinalReportStatus.values), name="final_report_status_known"
            ),
            _score_check("satisfaction_counterpart"),
            _score_check("satisfaction_partnership"),
            _score_check("satisfaction_overall"),
            # R-DOC-6: returned once at most.
            models.CheckConstraint(
                condition=Q(returned_count__lte=1), name="final_report_returned_once"
            ),
            models.CheckConstraint(
                condition=Q(status=FinalReportStatus.DRAFT) | Q(first_submitted_at__isnull=False),
                name="final_report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=FinalReportStatus.VALIDATED) | Q(decided_at__isnull=False),
                name="final_report_validated_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"FAR {self.side} of {self.exchange_id} ({self.status})"

    def save(self, *args, **kwargs) -> None:
        if self.reviewer_id is None and self.exchange_id is not None:
            self.reviewer_id = reviewer_of(self.exchange, self.side)
        super().save(*args, **kwargs)

    @property
    def annex(self) -> int:
        return 2 if self.side == FinalReportSide.HOST else 3

    @property
    def is_editable(self) -> bool:
        """A draft, or a report returned for a correction (R-DOC-6)."""
        return self.status in (FinalReportStatus.DRAFT, FinalReportStatus.RETURNED)


# --- Signatures (helper "sign") ----------------------------------------------------------------


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
