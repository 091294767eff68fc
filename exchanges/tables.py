"""The staff list of exchanges (django-tables2); the same table feeds the CSV export.

The page shows the columns an officer works from, each on one line — reference, visitor, host,
VOP, the stay's dates ("2 Dec 2026"), status and what the exchange is waiting for — and keeps
the rest (countries, HOP, mode, working days, plan hours, group) for the "more columns" view
(``?columns=more``) and the CSV export, which always has every column.
"""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from organisations.tables import organisation_name_cell

from .calendar import working_days
from .guards import MIN_PLAN_HOURS
from .models import ExchangeMode, ExchangeStatus
from .waiting import waiting_for

#: The person-facing date of the list ("2 Dec 2026"); the CSV export keeps ISO dates.
LIST_DATE_FORMAT = "j M Y"
#: Kept on one line: a wrapped reference or date is hard to scan down a column.
ONE_LINE = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}
#: The colours of ``exchanges/includes/status_badge.html`` (the detail page's badge).
STATUS_BADGE_CSS = {
    "draft": "text-bg-secondary",
    "contracted": "text-bg-primary",
    "executed": "text-bg-info",
    "closed": "text-bg-success",
}
#: Shown only with ``?columns=more`` (and always in the CSV export).
EXTRA_COLUMNS = (
    "visitor_country",
    "host_country",
    "hop",
    "mode",
    "working_days",
    "counted_hours",
    "group",
)


class ExchangeTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Reference"),
        linkify=("exchanges:detail", {"pk": tables.A("pk")}),
        attrs=ONE_LINE,
    )
    visitor = tables.Column(verbose_name=_("Visitor"), order_by=("visitor__legal_name",))
    visitor_country = tables.Column(
        verbose_name=_("Visitor country"),
        # The ISO code itself: a choices accessor would rebuild the 250 country choices per row.
        accessor="visitor__country__code",
        order_by=("visitor__country",),
    )
    host = tables.Column(verbose_name=_("Host"), order_by=("host__legal_name",))
    host_country = tables.Column(
        verbose_name=_("Host country"),
        accessor="host__country__code",
        order_by=("host__country",),
    )
    vop = tables.Column(verbose_name=_("VOP"), accessor="vop__acronym", attrs=ONE_LINE)
    hop = tables.Column(verbose_name=_("HOP"), accessor="hop__acronym", attrs=ONE_LINE)
    mode = tables.Column(verbose_name=_("Mode"))
    start_date = tables.DateColumn(
        verbose_name=_("First day"), format=LIST_DATE_FORMAT, attrs=ONE_LINE
    )
    end_date = tables.DateColumn(
        verbose_name=_("Last day"), format=LIST_DATE_FORMAT, attrs=ONE_LINE
    )
    working_days = tables.Column(verbose_name=_("Working days"), empty_values=(), orderable=False)
    counted_hours = tables.Column(verbose_name=_("Plan hours"))
    status = tables.Column(verbose_name=_("Status"), attrs=ONE_LINE)
    waiting_for = tables.Column(
        verbose_name=_("Waiting for"), empty_values=(), orderable=False, attrs=ONE_LINE
    )
    group = tables.Column(verbose_name=_("Group"), accessor="group__name", default="")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        # The rows come from ``row_html`` (below); headers, sorting and pagination stay
        # django-tables2's.
        template_name = "exchanges/includes/exchange_table.html"
        order_by = ("-start_date",)
        empty_text = _("No exchange matches these filters.")

    def __init__(self, *args, today: date | None = None, more: bool = True, **kwargs):
        """``more=False`` hides ``EXTRA_COLUMNS`` (the page's default view)."""
        if not more:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), *EXTRA_COLUMNS)
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    # Working days come from the host's holiday calendar (R-EXC-3), computed in Python: no
    # query per row (holiday calendars are cached per country and year).
    def _days(self, record) -> int:
        return working_days(record.start_date, record.end_date, str(record.host.country.code)).count

    def _user(self):
        request = getattr(self, "request", None)
        return getattr(request, "user", None)

    def render_visitor(self, record):
        return organisation_name_cell(self._user(), record.visitor)

    def value_visitor(self, record):
        return record.visitor.legal_name

    def render_host(self, record):
        return organisation_name_cell(self._user(), record.host)

    def value_host(self, record):
        return record.host.legal_name

    def render_working_days(self, record):
        return self._days(record)

    def value_working_days(self, record):
        return self._days(record)

    def render_visitor_country(self, record):
        return record.visitor.country.code

    def render_host_country(self, record):
        return record.host.country.code

    def render_mode(self, record):
        return record.get_mode_display()

    # Cells built with format_html, not a template per cell: 50 rows × 2 template renders
    # were a fifth of the page's time (issue 12). Same markup as the includes.
    def render_counted_hours(self, value):
        css = "text-success" if value >= MIN_PLAN_HOURS else "text-body-secondary"
        return format_html('<span class="{}">{} h</span>', css, floatformat(value, "-1"))

    def value_counted_hours(self, value):
        return value

    def render_status(self, record):
        return format_html(
            '<span class="badge status-badge {}" data-status="{}">{}</span>',
            STATUS_BADGE_CSS.get(record.status, "text-bg-dark"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.status

    def render_waiting_for(self, record):
        return waiting_for(record, today=self.today) or "—"

    def value_waiting_for(self, record):
        return waiting_for(record, today=self.today)

    # --- the page's rows, rendered cheaply (issue 12) ----------------------------------------
    # django-tables2 resolves every cell through accessors, signature inspection and a template
    # per date: with 50 rows × 8–15 columns that was the larger part of the page's time. The
    # page renders its rows here instead — the same cells, escaped the same way — while the
    # headers, the sorting and the pagination stay django-tables2's, and the CSV export keeps
    # ``as_values`` (the ``value_*`` methods above).

    def _cell(self, name: str, record, fast: _RowKit):
        if name == "reference":
            return format_html('<a href="{}">{}</a>', fast.detail_url(record.pk), record.reference)
        if name in ("visitor", "host"):
            organisation = getattr(record, name)
            return organisation_name_cell(
                self._user(), organisation, href=fast.organisation_url(organisation.pk)
            )
        if name == "visitor_country":
            return record.visitor.country.code
        if name == "host_country":
            return record.host.country.code
        if name in ("vop", "hop"):
            return getattr(record, name).acronym
        if name == "mode":
            return fast.modes.get(record.mode, record.mode)
        if name in ("start_date", "end_date"):
            return fast.day(getattr(record, name))
        if name == "working_days":
            return self._days(record)
        if name == "counted_hours":
            return self.render_counted_hours(record.counted_hours)
        if name == "status":
            return format_html(
                '<span class="badge status-badge {}" data-status="{}">{}</span>',
                STATUS_BADGE_CSS.get(record.status, "text-bg-dark"),
                record.status,
                fast.statuses.get(record.status, record.status),
            )
        if name == "waiting_for":
            return self.render_waiting_for(record)
        if name == "group":
            return record.group.name if record.group_id else ""
        raise KeyError(name)  # a new column needs its cell here

    def row_html(self):
        """The ``<tr>`` of every row of the current page, as safe HTML."""
        fast = _RowKit()
        columns = [(column.name, column.attrs["td"].as_html()) for column in self.columns]
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = format_html_join(
                "", "<td {}>{}</td>", ((td, self._cell(name, record, fast)) for name, td in columns)
            )
            rows.append(format_html("<tr>{}</tr>", cells))
        return rows


#: A pk no row has, reversed once and replaced per row (``_RowKit``).
_PK_MARK = 987654321


def _url_for_pk(name: str):
    pattern = reverse(name, kwargs={"pk": _PK_MARK})
    mark = str(_PK_MARK)
    return lambda pk: pattern.replace(mark, str(pk))


class _RowKit:
    """What every row of one page shares, computed once per page rather than per cell (issue
    12: a ``reverse``, a choices lookup and a date format per cell were most of the rows'
    time): the two detail URLs, the status and mode labels in the active language, and the
    list's day format ("2 Dec 2026", ``LIST_DATE_FORMAT``) with the month names of
    ``date_format``."""

    def __init__(self):
        self.detail_url = _url_for_pk("exchanges:detail")
        self.organisation_url = _url_for_pk("organisations:detail")
        self.statuses = {value: str(label) for value, label in ExchangeStatus.choices}
        self.modes = {value: str(label) for value, label in ExchangeMode.choices}
        self.months = {m: str(MONTHS_3[m]).title() for m in MONTHS_3}

    def day(self, value: date) -> str:
        return f"{value.day} {self.months[value.month]} {value.year:04d}"
