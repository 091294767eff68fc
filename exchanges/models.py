"""Exchanges, their action plans and groups (R-EXC-*).

The states and transitions are declared here with django-fsm-2; the *services* in
``services.py`` are the only callers of the transition methods: they lock the row, check the
guards (``guards.py``) with a readable reason, call the transition, save and audit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from organisations.choices import ActivityType
from organisations.models import Organisation
from partnerships.models import Match, Partnership


class ExchangeStatus(models.TextChoices):
    """R-EXC-2."""

    DRAFT = "draft", _("Draft")
    CONTRACTED = "contracted", _("Contracted")
    EXECUTED = "executed", _("Executed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


#: R-KPI-2: the statuses in which an exchange counts towards its VOP's KPIs — from contracting
#: on; never a draft, never a cancelled one (even if it was contracted before).
KPI_COUNTED_STATUSES = (ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED, ExchangeStatus.CLOSED)


class ExchangeMode(models.TextChoices):
    """R-EXC-8."""

    PHYSICAL = "physical", _("Physical")
    VIRTUAL = "virtual", _("Virtual")


class Party(models.TextChoices):
    """The four parties of an exchange (R-DOC-2, R-DOC-3)."""

    HO = "ho", _("Host organisation (HO)")
    HOP = "hop", _("Host's partnership (HOP)")
    VO = "vo", _("Visiting organisation (VO)")
    VOP = "vop", _("Visitor's partnership (VOP)")


class ExchangeGroup(models.Model):
    """R-EXC-7: a "mission": one host side, several visitors' exchanges joined while drafts."""

    name = models.CharField(max_length=200)
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    vop = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    hop = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    plan_notes = models.TextField(_("shared plan (starting point)"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="group_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


#: The states in which final reports are written (the reports room's ``FAR_OPEN_STATES``).
REPORT_STATES = (ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED, ExchangeStatus.CLOSED)
#: Each side's "report first submitted" column on the exchange, by ``FinalReportSide`` value.
REPORT_FACTS = {"visitor": "visitor_report_at", "host": "host_report_at"}


def report_missing_q(side: str | None = None) -> Q:
    """R-DOC-4: the exchanges in a state that has reports whose ``side`` report ("visitor" or
    "host"; ``None``: either) was never submitted — with ``None``, exactly the predicate of the
    partial index ``exchange_far_missing``."""
    sides = [side] if side else list(REPORT_FACTS)
    missing = Q()
    for name in sides:
        missing |= Q(**{f"{REPORT_FACTS[name]}__isnull": True})
    return Q(status__in=REPORT_STATES) & missing


def _report_missing_indexes() -> list[models.Index]:
    """The exchanges with a report missing in end-date order (the Support Office's overdue
    reports, the dashboards' drill-down: the facts included, so counts read the index only),
    and per side by VOP / HOP (a partnership's)."""
    return [
        models.Index(
            fields=["end_date", "id"],
            include=["vop", "hop", "visitor_report_at", "host_report_at"],
            condition=report_missing_q(),
            name="exchange_far_missing",
        ),
        models.Index(
            fields=["vop", "end_date", "id"],
            condition=report_missing_q("visitor"),
            name="exchange_far_visitor_vop",
        ),
        models.Index(
            fields=["hop", "end_date", "id"],
            condition=report_missing_q("host"),
            name="exchange_far_host_hop",
        ),
    ]


class Exchange(FSMModelMixin, models.Model):
    """A stay of a visitor at a host in another eligible country (R-EXC-1).

    Invariants in the database: end ≥ start, visitor ≠ host, and one non-cancelled exchange per
    visiting organisation (R-ELIG-11: an organisation visits once; a cancelled exchange frees
    the visit).
    """

    reference = models.CharField(max_length=20, unique=True)
    visitor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="visits")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hostings")
    vop = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="visitor_exchanges",
        verbose_name=_("VOP"),
    )
    hop = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="host_exchanges",
        verbose_name=_("HOP"),
    )
    match = models.OneToOneField(
        Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchange"
    )
    group = models.ForeignKey(
        ExchangeGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    mode = models.CharField(
        max_length=10, choices=ExchangeMode.choices, default=ExchangeMode.PHYSICAL
    )
    start_date = models.DateField(_("first day of the stay"))
    end_date = models.DateField(_("last day of the stay"))
    objectives = models.TextField(blank=True, default="")
    status = FSMField(
        default=ExchangeStatus.DRAFT,
        choices=ExchangeStatus.choices,
        protected=True,
        db_index=True,
    )
    status_reason = models.TextField(blank=True, default="")
    # Stamped by the daily scan once the end date has passed (R-EXC-2 "suggested").
    end_flagged_at = models.DateTimeField(null=True, blank=True)
    contracted_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # R-DOC-4: when each side's final report was first submitted (the reports room's
    # ``FinalReport.first_submitted_at``), kept by ``services.exchange_report_submitted`` and
    # never unset (a report returned for a correction stays "in", R-DOC-6): the overdue reports
    # are read from the partial indexes below, never by an anti-join (issue 12, issue 13).
    visitor_report_at = models.DateTimeField(null=True, blank=True, editable=False)
    host_report_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        # Every sort key and filter of the staff list and the admin changelist (issue 12): a
        # page of 50 is read from an index, never by sorting the whole table.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="exchange_created_idx"),
            models.Index(fields=["start_date", "id"], name="exchange_start_idx"),
            models.Index(fields=["end_date", "id"], name="exchange_end_idx"),
            models.Index(fields=["mode", "start_date"], name="exchange_mode_idx"),
            models.Index(fields=["status", "start_date"], name="exchange_status_start_idx"),
            # The work queue (issue 13): a partnership's drafts by first day, its contracted
            # exchanges past their end — as VOP or as HOP (a BitmapOr of the two).
            models.Index(fields=["vop", "status", "start_date"], name="exchange_vop_status_start"),
            models.Index(fields=["hop", "status", "start_date"], name="exchange_hop_status_start"),
            # The KPI dashboards select by the day a stay starts and its status (R-KPI-2), and
            # read every column they group, count or join by from the index alone (index-only
            # scans: the period's exchanges are scattered over the table, issue 13).
            models.Index(
                fields=["start_date", "status"],
                include=[
                    "id",
                    "vop",
                    "visitor",
                    "host",
                    "mode",
                    "end_date",
                    "closed_at",
                    "visitor_report_at",
                    "host_report_at",
                ],
                name="exchange_kpi_cover",
            ),
            # The dashboards' overdue payments by VOP (R-PAY-4): the VOP read from the index
            # for each overdue payment's exchange (index-only probes, never the table).
            models.Index(fields=["id"], include=["vop"], name="exchange_vop_cover"),
            # The staff list's count (issue 12): "HOP in S and VOP not in S", with or without a
            # status, read from the index alone (``selectors.exchange_list_count``).
            models.Index(fields=["hop", "status", "vop"], name="exchange_hop_status_vop"),
            # The staff list sorted by visitor (issue 12): the organisations' name index walked,
            # each visitor's exchange probed here for what the filters and the scope ask
            # (status, VOP, HOP, host) and its id, from the index alone
            # (``selectors.exchange_list_rows``).
            models.Index(
                fields=["visitor"],
                include=["status", "vop", "hop", "host", "id"],
                name="exchange_visitor_cover",
            ),
            # R-DOC-4, R-DL-1: the exchanges whose visitor's / host's final report is not in, in
            # the states that have reports — by end date (the Support Office's overdue reports),
            # and by VOP / HOP then end date (a partnership's): range scans, cheap counts.
            *_report_missing_indexes(),
            # The work queue's drafts (issue 13): by first day, the partnerships read from the
            # index (a partnership's first ten without reading every draft).
            models.Index(
                fields=["start_date", "id"],
                include=["vop", "hop"],
                condition=Q(status=ExchangeStatus.DRAFT),
                name="exchange_draft_start",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="exchange_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(visitor=models.F("host")), name="exchange_visitor_not_host"
            ),
            models.UniqueConstraint(
                fields=["visitor"],
                condition=~Q(status=ExchangeStatus.CANCELLED),
                name="one_visit_per_organisation",
                violation_error_message=_("This organisation has already used its visit."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # --- state machine (R-EXC-2); called only from services.py --------------------------------

    @transition(field=status, source=ExchangeStatus.DRAFT, target=ExchangeStatus.CONTRACTED)
    def contract(self) -> None:
        """CTQ signed by HO, HOP, VO, VOP and FA by VO, VOP; dates and plan freeze."""

    @transition(field=status, source=ExchangeStatus.CONTRACTED, target=ExchangeStatus.EXECUTED)
    def execute(self) -> None:
        """The stay took place (recorded by staff)."""

    @transition(field=status, source=ExchangeStatus.EXECUTED, target=ExchangeStatus.CLOSED)
    def close(self) -> None:
        """Reports in, the visitor's validated by the VOP, evidence received."""

    @transition(
        field=status,
        source=[ExchangeStatus.DRAFT, ExchangeStatus.CONTRACTED],
        target=ExchangeStatus.CANCELLED,
    )
    def cancel(self) -> None:
        """Stopped before execution; frees the visitor's single visit (R-ELIG-11)."""

    @property
    def is_draft(self) -> bool:
        return self.status == ExchangeStatus.DRAFT

    @property
    def is_virtual(self) -> bool:
        return self.mode == ExchangeMode.VIRTUAL


class Activity(models.Model):
    """One row of the action plan (R-EXC-4, R-EXC-5)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField()
    activity_type = models.CharField(max_length=32, choices=ActivityType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    is_extra = models.BooleanField(
        _("extra activity (needs the Support Office's approval)"), default=False
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="activity_hours_positive"
            )
        ]
        indexes = [
            # The Support Office's queue of extra activities to approve: only those rows.
            models.Index(
                fields=["exchange"],
                condition=Q(is_extra=True, approved_at__isnull=True),
                name="activity_extra_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title} ({self.hours} h)"


# --- Amendments (helper "amend") ---------------------------------------------------------------


class AmendmentStatus(models.TextChoices):
    """R-DOC-8: open while the VOP's staff change the dates or plan and the parties sign the new
    versions; signed once every document it touched is signed again; withdrawn when the VOP's
    staff drop it before changing anything, or the exchange is cancelled meanwhile."""

    OPEN = "open", _("In progress")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: R-DOC-8: the reason of an amendment is a short written statement.
AMENDMENT_REASON_MAX = 1000


class Amendment(models.Model):
    """R-DOC-8: a documented change of a contracted exchange's dates or plan.

    Opened by the VOP's staff who may approve exchanges, with a reason; while it is open, they
    (and only they) change the dates, objectives and action plan through the usual services,
    and the documents follow (new versions that every party signs again); the exchange stays
    contracted. It closes by itself once every document it touched is fully signed again
    (``reports``). One open amendment per exchange at most, enforced by the database.
    """

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="amendments")
    reason = models.TextField(max_length=AMENDMENT_REASON_MAX)
    status = models.CharField(
        max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    #: the last change of the dates or plan made under it (``None``: nothing changed yet, so it
    #: may still be withdrawn)
    changed_at = models.DateTimeField(null=True, blank=True)
    #: when it was signed or withdrawn
    closed_at = models.DateTimeField(null=True, blank=True)
    #: the kinds of documents it gave a new version (filled when it closes), e.g. ["CTQ", "FA"]
    documents = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["exchange", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange"],
                condition=Q(status="open"),
                name="amendment_one_open_per_exchange",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "signed", "withdrawn"]),
                name="amendment_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="amendment_closed_has_time",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Amendment of {self.exchange_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.OPEN
