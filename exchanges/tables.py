"""The staff list of exchanges: ``ExchangeListPage`` renders the page, ``ExchangeTable``
(django-tables2) the CSV export, with the same columns.

The page shows the columns an officer works from, each on one line — reference, visitor, host,
VOP, the stay's dates ("2 Dec 2026"), status and what the exchange is waiting for — and keeps
the rest (countries, HOP, mode, working days, plan hours, group) for the "more columns" view
(``?columns=more``) and the CSV export, which always has every column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from html import escape as _escape
from types import SimpleNamespace
from urllib.parse import urlencode

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2.templatetags.django_tables2 import table_page_range

from cxc_portal.accounts.roles import user_access
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
        # The CSV export's columns (``as_values``); the page is ``ExchangeListPage``'s, whose
        # columns a test keeps equal to these.
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


#: A pk no row has, reversed once and replaced per row (``_RowKit``).
_PK_MARK = 987654321


def _url_for_pk(name: str):
    pattern = reverse(name, kwargs={"pk": _PK_MARK})
    mark = str(_PK_MARK)
    return lambda pk: pattern.replace(mark, str(pk))


@lru_cache(maxsize=16)
def _labels(language: str | None) -> tuple[dict, dict, dict]:
    """The status and mode labels and the month names in ``language`` (the active one: the
    argument only keys the cache)."""
    return (
        {value: str(label) for value, label in ExchangeStatus.choices},
        {value: str(label) for value, label in ExchangeMode.choices},
        {m: str(MONTHS_3[m]).title() for m in MONTHS_3},
    )


class _RowKit:
    """What every row of one page shares, computed once per page rather than per cell (issue
    12: a ``reverse``, a choices lookup and a date format per cell were most of the rows'
    time): the two detail URLs, the status and mode labels in the active language, and the
    list's day format ("2 Dec 2026", ``LIST_DATE_FORMAT``) with the month names of
    ``date_format``."""

    def __init__(self):
        self.detail_url = _url_for_pk("exchanges:detail")
        self.organisation_url = _url_for_pk("organisations:detail")
        self.statuses, self.modes, self.months = _labels(get_language())

    def day(self, value: date) -> str:
        return f"{value.day} {self.months[value.month]} {value.year:04d}"


# --- the page (issue 12) -------------------------------------------------------------------------
# django-tables2 resolved every cell through accessors and templates, from full model instances
# with five joined rows each: with 50 rows that was most of the page's time at 100,000
# exchanges. The page now reads plain values (``selectors.exchange_list_rows``) and renders
# each row in one pass of escaped strings, its header and pagination from a small template.
# The markup, the sorting (``?sort=``, as django-tables2's) and the pages are the same.


def escape(value) -> str:
    """``django.utils.html.escape`` (the same ``html.escape``) without its lazy-string wrapper,
    which cost more than the escaping for 50 rows of cells."""
    return _escape(str(value))


@dataclass(frozen=True)
class ListColumn:
    name: str
    label: str
    #: The ORM paths a sort by this column orders by; empty: not sortable.
    order_by: tuple[str, ...] = ()
    nowrap: bool = False


#: The page's columns in order (``EXTRA_COLUMNS`` only with ``?columns=more``); a test keeps
#: them equal to ``ExchangeTable``'s (the CSV export).
LIST_COLUMNS = (
    ListColumn("reference", _("Reference"), ("reference",), True),
    ListColumn("visitor", _("Visitor"), ("visitor__legal_name",)),
    ListColumn("visitor_country", _("Visitor country"), ("visitor__country",)),
    ListColumn("host", _("Host"), ("host__legal_name",)),
    ListColumn("host_country", _("Host country"), ("host__country",)),
    ListColumn("vop", _("VOP"), ("vop__acronym",), True),
    ListColumn("hop", _("HOP"), ("hop__acronym",), True),
    ListColumn("mode", _("Mode"), ("mode",)),
    ListColumn("start_date", _("First day"), ("start_date",), True),
    ListColumn("end_date", _("Last day"), ("end_date",), True),
    ListColumn("working_days", _("Working days")),
    ListColumn("counted_hours", _("Plan hours"), ("counted_hours",)),
    ListColumn("status", _("Status"), ("status",), True),
    ListColumn("waiting_for", _("Waiting for"), (), True),
    ListColumn("group", _("Group"), ("group__name",)),
)
#: The order without ``?sort=`` (``ExchangeTable.Meta.order_by``): latest stay first.
DEFAULT_SORT = ((("start_date"), True),)


def parse_sort(raw: str | None, columns: Sequence[ListColumn]) -> list[tuple[str, bool]]:
    """``?sort=a,-b`` as (column, descending) pairs, keeping only the shown sortable columns
    (an unknown or hidden one is ignored, as django-tables2 does); none: ``DEFAULT_SORT``."""
    sortable = {column.name for column in columns if column.order_by}
    pairs = []
    for alias in (raw or "").split(","):
        alias = alias.strip()
        name = alias.lstrip("-")
        if name in sortable and name not in {n for n, _desc in pairs}:
            pairs.append((name, alias.startswith("-")))
    return pairs or list(DEFAULT_SORT)


def organisation_link_test(user) -> Callable[[int, int | None], bool]:
    """``can_view_organisation`` for rows of values: (organisation id, its validating
    partnership id) -> may ``user`` open the profile. The same predicate (a test compares them),
    with the user's ids read once per page instead of once per cell."""
    if user is None:
        return lambda pk, partnership_id: False
    access = user_access(user)
    if access.support_office:
        return lambda pk, partnership_id: True
    organisations, partnerships = access.organisations, access.staff_partnerships
    return lambda pk, partnership_id: (
        pk in organisations or (partnership_id is not None and partnership_id in partnerships)
    )


class _LazyRows:
    """The paginator's rows: ``count`` (computed apart, cheaply) and one slice fetched."""

    def __init__(self, count: int, fetch: Callable[[int, int], list]):
        self._count = count
        self._fetch = fetch

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list:
        return self._fetch(window.start, window.stop)


class ExchangeListPage:
    """One page of the staff exchange list: its columns, sort, count, rows and page links.

    ``fetch(order_by, start, stop)`` returns the rows' values (``selectors.exchange_list_rows``);
    ``count`` is the number of rows over every page; ``acronyms`` maps partnership ids to
    acronyms (the filter's partnership choices: no join per row); ``data()`` gives the filtered
    queryset itself (for whoever needs the whole list, e.g. a test; never built for the page).
    """

    per_page = 50
    empty_text = _("No exchange matches these filters.")

    def __init__(
        self,
        *,
        request,
        count: int,
        fetch: Callable[[list[str], int, int], list[dict]],
        acronyms: dict[int, str],
        more: bool,
        today: date | None = None,
        data: Callable[[], object] | None = None,
    ):
        self.request = request
        self.user = request.user
        self.today = today or timezone.localdate()
        self.acronyms = acronyms
        self._data = data
        self._rest: dict[tuple, str] = {}
        self.columns = [c for c in LIST_COLUMNS if more or c.name not in EXTRA_COLUMNS]
        self.sort = parse_sort(request.GET.get("sort"), self.columns)
        by_name = {column.name: column for column in self.columns}
        order_by = [
            f"{'-' if descending else ''}{path}"
            for name, descending in self.sort
            for path in by_name[name].order_by
        ]
        # A unique last key: the pages never share or skip a row between equal dates.
        order_by.append("-pk" if self.sort[0][1] else "pk")
        self.paginator = Paginator(
            _LazyRows(count, lambda start, stop: fetch(order_by, start, stop)), self.per_page
        )
        try:
            self.page = self.paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            self.page = self.paginator.page(1)
        except EmptyPage:
            self.page = self.paginator.page(self.paginator.num_pages)

    @cached_property
    def data(self):
        """The whole filtered list (``data()``), built only when asked for."""
        return self._data() if self._data is not None else None

    def _query(self, **changes) -> str:
        """This page's query string with ``changes`` (``None`` drops a key); the changed keys
        last. The rest of the query is encoded once per set of changed keys."""
        keys = tuple(changes)
        rest = self._rest.get(keys)
        if rest is None:
            query = self.request.GET.copy()
            for key in keys:
                query.pop(key, None)
            rest = self._rest[keys] = query.urlencode()
        added = urlencode([(k, v) for k, v in changes.items() if v is not None])
        return "?" + "&".join(part for part in (rest, added) if part)

    @property
    def headers(self) -> list[dict]:
        """Each column's ``<th>``: its classes (as django-tables2's: ``orderable``, ``asc`` or
        ``desc``), ``aria-sort`` on the column the rows are sorted by, and the link that sorts by
        it (the other way round when it is the sort already; back to the first page)."""
        current = dict(self.sort)
        primary = self.sort[0][0]
        headers = []
        for column in self.columns:
            classes = []
            href = None
            aria_sort = None
            if column.name in current:
                classes.append("desc" if current[column.name] else "asc")
                if column.name == primary:
                    aria_sort = "descending" if current[column.name] else "ascending"
            if column.order_by:
                classes.append("orderable")
                flip = current.get(column.name) is False
                href = self._query(sort=f"{'-' if flip else ''}{column.name}", page=None)
            if column.nowrap:
                classes.append("text-nowrap")
            headers.append(
                {
                    "label": column.label,
                    "css": " ".join(classes),
                    "href": href,
                    "aria_sort": aria_sort,
                }
            )
        return headers

    @property
    def pages(self) -> list[dict]:
        """The numbered page links (django-tables2's window of ten, "…" between)."""
        if self.paginator.num_pages <= 1:
            return []
        return [
            {
                "number": number,
                "href": None if number == "..." else self._query(page=number),
                "current": number == self.page.number,
            }
            for number in table_page_range(self.page, self.paginator)
        ]

    @property
    def previous_href(self) -> str | None:
        if not self.page.has_previous():
            return None
        return self._query(page=self.page.previous_page_number())

    @property
    def next_href(self) -> str | None:
        if not self.page.has_next():
            return None
        return self._query(page=self.page.next_page_number())

    def rows_html(self) -> SafeString:
        """Every ``<tr>`` of the page: each value escaped, the cells' markup that of the
        ``ExchangeTable`` renderers (links, badges, one-line cells)."""
        kit = _RowKit()
        user = self.user
        acronyms = self.acronyms
        today = self.today
        tds = [
            (column.name, '<td class="text-nowrap">' if column.nowrap else "<td>")
            for column in self.columns
        ]

        may_open = organisation_link_test(user)

        def organisation(row, side):
            name = escape(row[f"{side}__legal_name"])
            pk = row[f"{side}_id"]
            if may_open(pk, row[f"{side}__validating_partnership_id"]):
                return f'<a href="{kit.organisation_url(pk)}">{name}</a>'
            return name

        def cell(name, row):
            if name == "reference":
                return f'<a href="{kit.detail_url(row["id"])}">{escape(row["reference"])}</a>'
            if name in ("visitor", "host"):
                return organisation(row, name)
            if name in ("visitor_country", "host_country"):
                return escape(row[f"{name.split('_')[0]}__country"])
            if name in ("vop", "hop"):
                return escape(acronyms.get(row[f"{name}_id"], ""))
            if name == "mode":
                return escape(kit.modes.get(row["mode"], row["mode"]))
            if name in ("start_date", "end_date"):
                return kit.day(row[name])
            if name == "working_days":
                return str(
                    working_days(row["start_date"], row["end_date"], row["host__country"]).count
                )
            if name == "counted_hours":
                hours = row["counted_hours"]
                css = "text-success" if hours >= MIN_PLAN_HOURS else "text-body-secondary"
                return f'<span class="{css}">{floatformat(hours, "-1")} h</span>'
            if name == "status":
                status = row["status"]
                badge = STATUS_BADGE_CSS.get(status, "text-bg-dark")
                return (
                    f'<span class="badge status-badge {badge}" data-status="{escape(status)}">'
                    f"{escape(kit.statuses.get(status, status))}</span>"
                )
            if name == "waiting_for":
                return escape(waiting_for(SimpleNamespace(**row), today=today) or "—")
            if name == "group":
                return escape(row["group__name"] or "")
            raise KeyError(name)  # a new column needs its cell here

        rows = [
            "<tr>" + "".join(f"{td}{cell(name, row)}</td>" for name, td in tds) + "</tr>"
            for row in self.page.object_list
        ]
        return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
