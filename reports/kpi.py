"""Management reporting: the KPIs of the partnership and Support Office dashboards (issue 13).

R-KPI-1: an exchange counts **once**, and only towards its **VOP**'s KPIs — also a virtual one.
R-KPI-2: it counts from contracting on (contracted, executed or closed; never a draft, never a
cancelled one even if it was contracted before), in the **period in which its stay starts**.
The exchanges a partnership hosts as HOP for another VOP are listed apart, never counted.

The period: the programme has no calls or programme periods in its reference data, so a period
is a pair of days chosen on the page; the default is the current calendar year
(:func:`default_period`).

Every figure is aggregated in the database (conditional counts and sums, grouped): a dashboard
costs the same few queries whatever the number of exchanges. The median days from closing to
payment is ``percentile_cont`` on PostgreSQL; SQLite (the development database) has no such
aggregate, so there the day counts of the period's paid lump sums (one small column) are read
and :func:`median` takes the middle. Nothing is cached: every figure is right immediately after
any transition.

Each table is a :class:`KpiTable` of :class:`Cell` s, so that one template renders every table,
one writer exports any of them (CSV and XLSX) and every count links to the exchange list
filtered to exactly the exchanges behind it (the list's drill-down filters, ``exchanges.filters``).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape as html_escape
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from exchanges.filters import final_report_state_q
from exchanges.models import KPI_COUNTED_STATUSES, Exchange, ExchangeMode, ExchangeStatus
from partnerships.models import Partnership
from payments.models import Payment, PaymentStatus
from reports.models import FinalReport

ZERO = Decimal("0.00")

# --- periods (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (the days a stay may start on)."""

    start: date
    end: date

    @property
    def query(self) -> str:
        """The dashboards' query string choosing this period."""
        return urlencode({"start": self.start.isoformat(), "end": self.end.isoformat()})

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months = []
        day = self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (
                day.replace(year=day.year + 1, month=1)
                if day.month == 12
                else day.replace(month=day.month + 1)
            )
        return months


def default_period(today: date) -> Period:
    """R-KPI-2: the current programme period — the calendar year of ``today``."""
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def median(values: Sequence[float | int]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); ``None`` if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def heat_level(value: int, highest: int) -> int:
    """A shade from 0 (none) to 5 (the highest cell) for the flow table's heat map."""
    if value <= 0 or highest <= 0:
        return 0
    return max(1, min(5, -(-value * 5 // highest)))


# --- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One value; ``href`` the exchange list filtered to the exchanges behind it."""

    value: Any
    href: str = ""
    kind: str = "count"  # count | money | days | score | text
    heat: int | None = None

    def html(self) -> SafeString:
        """The cell's content, rendered here once rather than by a template include per cell
        (the flow table has about 1,500 cells at programme scale, issue 12): the value
        localised and escaped as ``{{ }}`` would, a money value with two decimals and the
        thousands grouped, days with at most one decimal, a score with two; linked when it has an
        ``href``."""
        if self.kind == "text":
            return conditional_escape(localize(self.value))
        if type(self.value) is int and not settings.USE_THOUSAND_SEPARATOR:
            text = str(self.value)  # what localize() gives an int then, without its lookups
        elif self.value is None:
            text = "—"
        elif self.kind == "money":
            text = floatformat(self.value, "2g")
        elif self.kind == "days":
            text = floatformat(self.value, "-1")
        elif self.kind == "score":
            text = floatformat(self.value, "2")
        else:
            text = conditional_escape(localize(self.value))
        if self.href:
            # What ``format_html('<a href="{}">{}</a>', href, text)`` gives, without its lazy
            # wrappers per call (about 1,900 links on the programme dashboard, issue 13): the
            # href escaped, the text escaped or formatted above.
            return mark_safe(f'<a href="{html_escape(self.href)}">{text}</a>')  # noqa: S308
        return mark_safe(text)  # noqa: S308 (escaped or a number formatted above)

    def td_class(self) -> str:
        """The ``<td>``'s classes: right-aligned, shaded by its heat (the flow's heat map)."""
        return f"text-end kpi-heat-{self.heat}" if self.heat else "text-end"


@dataclass
class KpiTable:
    """A dashboard table: rendered by ``reports/dashboards/table.html``, exported as CSV/XLSX."""

    key: str
    caption: Any
    columns: list[Any]
    rows: list[list[Cell]] = field(default_factory=list)
    footer: list[Cell] | None = None
    note: Any = ""

    def values(self) -> Iterable[list[Any]]:
        """The rows as plain values (the footer last), for the exports."""
        for row in [*self.rows, *([self.footer] if self.footer else [])]:
            yield [cell.value for cell in row]

    def html_rows(self) -> list[SafeString]:
        """Each body row as one ``<tr>`` (the first cell its row header): the template loops
        over rows, not over cells (issue 12)."""
        return [_row_html(row, heat=True) for row in self.rows]

    def html_footer(self) -> SafeString:
        return (
            _row_html(self.footer, heat=False, tr=' class="fw-semibold"')
            if self.footer
            else SafeString("")
        )


def _row_html(cells: list[Cell], *, heat: bool, tr: str = "") -> SafeString:
    parts = [f"<tr{tr}>"]
    for i, cell in enumerate(cells):
        if i == 0:
            parts.append(f'<th scope="row">{cell.html()}</th>')
        else:
            parts.append(
                f'<td class="{cell.td_class() if heat else "text-end"}">{cell.html()}</td>'
            )
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 (each cell escaped by Cell.html)


def exchange_list_link(period: Period | None = None, **params: Any) -> str:
    """The staff exchange list filtered to exactly the exchanges behind a number: counted ones
    (R-KPI-2) whose stay starts in ``period`` (unless ``counted=None``), narrowed by ``params``
    (the list's filter names; ``None`` values dropped)."""
    query: dict[str, Any] = {}
    if params.pop("counted", "yes"):
        query["counted"] = "yes"
    if period is not None:
        query["start_from"] = period.start.isoformat()
        query["start_until"] = period.end.isoformat()
    query.update({k: v for k, v in params.items() if v is not None})
    return f"{_exchange_list_path()}?{urlencode(query)}"


_LIST_PATHS: dict[tuple[str, Any], str] = {}


def _exchange_list_path() -> str:
    """``reverse("exchanges:list")``, reversed once per script prefix and URLconf (a dashboard
    links a few hundred numbers to the list, issue 13)."""
    key = (get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    path = _LIST_PATHS.get(key)
    if path is None:
        path = _LIST_PATHS[key] = reverse("exchanges:list")
    return path


# --- database ---------------------------------------------------------------------------------


class DaysBetween(Func):
    """Whole days from the first date to the second (``end - start``)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of the expression."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def counted_exchanges(period: Period) -> QuerySet[Exchange]:
    """R-KPI-1, R-KPI-2: the exchanges that count, in the period their stay starts (for their
    VOP: group or filter by ``vop``)."""
    return Exchange.objects.filter(
        status__in=KPI_COUNTED_STATUSES,
        start_date__gte=period.start,
        start_date__lte=period.end,
    )


def cents(value: Decimal) -> Decimal:
    """A sum of amounts in euro with its two decimals (SQLite's sums drop trailing zeros)."""
    return Decimal(value).quantize(Decimal("0.01"))


def _money(expression: str, **filters: Any) -> Coalesce:
    return Coalesce(
        Sum(expression, filter=Q(**filters) if filters else None),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


_PAID = Q(payment__status=PaymentStatus.PAID)

KPI_AGGREGATES = {
    "total": Count("id"),
    "contracted": Count("id", filter=Q(status=ExchangeStatus.CONTRACTED)),
    "executed": Count("id", filter=Q(status=ExchangeStatus.EXECUTED)),
    "closed": Count("id", filter=Q(status=ExchangeStatus.CLOSED)),
    "physical": Count("id", filter=Q(mode=ExchangeMode.PHYSICAL)),
    "virtual": Count("id", filter=Q(mode=ExchangeMode.VIRTUAL)),
    "committed_count": Count("payment"),
    "committed": _money("payment__amount"),
    "paid_count": Count("payment", filter=_PAID),
    "paid": _money("payment__amount", payment__status=PaymentStatus.PAID),
    "on_time": Count("payment", filter=_PAID & Q(payment__paid_on__lte=F("payment__due_date"))),
    "late": Count("payment", filter=_PAID & Q(payment__paid_on__gt=F("payment__due_date"))),
}


@dataclass
class KpiRow:
    """The KPIs of one VOP (``partnership``) or of the programme (``partnership=None``)."""

    partnership: Partnership | None
    total: int = 0
    contracted: int = 0
    executed: int = 0
    closed: int = 0
    physical: int = 0
    virtual: int = 0
    committed_count: int = 0
    committed: Decimal = ZERO
    paid_count: int = 0
    paid: Decimal = ZERO
    on_time: int = 0
    late: int = 0
    median_days: float | None = None
    overdue: int = 0
    overdue_amount: Decimal = ZERO
    # The final activity reports (R-DOC-4), counted per exchange (``report_state_aggregates``)
    # and the satisfaction scores of the submitted ones (``satisfaction_by_vop``).
    reports_on_time: int = 0
    reports_late: int = 0
    reports_overdue: int = 0
    satisfaction_sum: int = 0
    satisfaction_count: int = 0
    #: Overdue reports today, whatever the period (the Support Office's overdue table).
    reports_overdue_today: int = 0

    @property
    def satisfaction(self) -> float | None:
        """The mean overall satisfaction (1–5) of the submitted reports, visitor's and host's
        alike: the sum over the count of the scores themselves, so the programme's figure is
        its own average over every report, never an average of the partnerships' averages."""
        if not self.satisfaction_count:
            return None
        return round(self.satisfaction_sum / self.satisfaction_count, 2)


def _closing_to_paid_days() -> DaysBetween:
    return DaysBetween(F("payment__paid_on"), TruncDate("closed_at"))


def _paid_in_period(period: Period, vop_ids: Iterable[int] | None) -> QuerySet[Exchange]:
    rows = counted_exchanges(period).filter(_PAID, closed_at__isnull=False)
    return rows if vop_ids is None else rows.filter(vop_id__in=list(vop_ids))


def _per_vop_and_overall(grouped: QuerySet) -> list[tuple]:
    """The rows of ``grouped`` (exchanges grouped by ``vop`` alone, one aggregate) and the
    aggregate over all of them, as one PostgreSQL query: the ORM's SQL with its ``GROUP BY``
    turned into ``GROUPING SETS ((vop), ())`` (the ORM has no grouping sets). An empty list of
    VOPs is no query and no row (the overall figure then ``None``, as an aggregate of nothing)."""
    try:
        sql, params = grouped.query.sql_with_params()
    except EmptyResultSet:  # no VOP at all (``vop_id__in=[]``): no rows, no overall figure
        return []
    head, group_by, tail = sql.rpartition(" GROUP BY ")
    column = '"exchanges_exchange"."vop_id"'
    if not group_by or tail not in ("1", column):
        raise ValueError(f"expected a query grouped by the VOP alone: {sql}")
    with connection.cursor() as cursor:
        cursor.execute(f"{head} GROUP BY GROUPING SETS (({column}), ())", params)
        return cursor.fetchall()


def median_days_to_payment(
    period: Period, vop_ids: Iterable[int] | None = None
) -> tuple[dict[int, float | None], float | None]:
    """The median days from closing to payment of the counted exchanges' paid lump sums: per
    VOP, and over all of them. PostgreSQL: one ``percentile_cont`` query grouped by
    ``GROUPING SETS ((vop), ())`` — the per-VOP rows and the overall row (its VOP ``NULL``; a
    VOP is never null) from one pass over the paid lump sums (:func:`_per_vop_and_overall`);
    elsewhere one query reading the day counts of the period's paid lump sums (bounded by the
    period)."""
    rows = _paid_in_period(period, vop_ids).order_by()
    days = _closing_to_paid_days()
    if connection.vendor == "postgresql":
        per_vop: dict[int, float | None] = {}
        overall = None
        for vop_id, value in _per_vop_and_overall(
            rows.values("vop").annotate(median=Median(days)).order_by()
        ):
            if vop_id is None:
                overall = value
            else:
                per_vop[vop_id] = value
        return per_vop, overall
    grouped: dict[int, list[int]] = defaultdict(list)
    for vop_id, count in rows.annotate(days=days).values_list("vop_id", "days"):
        grouped[vop_id].append(count)
    return (
        {vop_id: median(values) for vop_id, values in grouped.items()},
        median([v for values in grouped.values() for v in values]),
    )


def overdue_by_vop(today: date, vop_ids: Iterable[int] | None = None) -> dict[int, tuple]:
    """R-PAY-4: lump sums due and past their due date today, by VOP (whatever the period).

    Read from the payments alone: a lump sum carries the partnership that pays it, its
    exchange's VOP (R-KPI-1: the exchange's VOP, copied when the row is made, once contracted),
    so the partial index of the payments due gives them without a join to the exchanges."""
    rows = Payment.objects.filter(status=PaymentStatus.DUE, due_date__lt=today).order_by()
    if vop_ids is not None:
        rows = rows.filter(vop_id__in=list(vop_ids))
    return {
        row["vop"]: (row["n"], cents(row["amount"]))
        for row in rows.values("vop").annotate(n=Count("id"), amount=_money("amount"))
    }


def report_state_aggregates(today: date) -> dict[str, Count]:
    """R-DOC-4: the final reports of a group of exchanges, each exchange counted once in one
    state (``exchanges.filters.final_report_state_q``, the very condition its drill-down list
    filters by: on time, late, overdue). Read from the exchange row alone (its "report first
    submitted" facts), so these counts join the grouped KPIs (whose only join, the lump sum, is
    one-to-one): no join to the reports, no distinct count."""
    return {
        f"reports_{state}": Count("id", filter=final_report_state_q(state, today))
        for state in ("on_time", "late", "overdue")
    }


REPORT_FIELDS = (
    "reports_on_time",
    "reports_late",
    "reports_overdue",
    "satisfaction_sum",
    "satisfaction_count",
)


def satisfaction_by_vop(period: Period, vop_ids: Iterable[int]) -> dict[int, dict]:
    """R-KPI-1, R-KPI-2, R-DOC-4: the sum and number of the *overall* satisfaction scores of
    the submitted reports (visitor's Annex 3 and host's Annex 2 alike) of each VOP's counted
    exchanges of the period — one grouped query over the submitted reports."""
    return {
        row.pop("vop"): row
        for row in FinalReport.objects.filter(
            first_submitted_at__isnull=False,
            exchange__status__in=KPI_COUNTED_STATUSES,
            exchange__start_date__gte=period.start,
            exchange__start_date__lte=period.end,
            exchange__vop_id__in=list(vop_ids),
        )
        .order_by()
        .values(vop=F("exchange__vop"))
        .annotate(
            satisfaction_sum=Coalesce(Sum("satisfaction_overall"), Value(0)),
            satisfaction_count=Count("satisfaction_overall"),
        )
    }


def reports_overdue_by_vop(today: date, vop_ids: Iterable[int]) -> dict[int, int]:
    """R-DOC-4, R-DL-1: exchanges with a final report overdue today, by VOP, whatever the
    period (the overdue table beside the overdue payments; one grouped query)."""
    return {
        row["vop"]: row["n"]
        for row in Exchange.objects.filter(
            final_report_state_q("overdue", today), vop_id__in=list(vop_ids)
        )
        .order_by()
        .values("vop")
        .annotate(n=Count("id"))
    }


def kpi_rows(
    *, period: Period, today: date, partnerships: Sequence[Partnership]
) -> tuple[list[KpiRow], KpiRow]:
    """R-KPI-1, R-KPI-2: one row per partnership (as VOP), and the programme totals (sums of
    the rows; the median over all the paid lump sums; the satisfaction over all the scores).
    Five queries: the grouped KPIs (with the final-report states, read from the exchange row),
    the medians (per VOP and overall), the overdue payments, the satisfaction scores, the
    reports overdue today."""
    ids = [p.pk for p in partnerships]
    grouped = {
        row.pop("vop"): {**row, "committed": cents(row["committed"]), "paid": cents(row["paid"])}
        for row in counted_exchanges(period)
        .filter(vop_id__in=ids)
        .order_by()
        .values("vop")
        .annotate(**KPI_AGGREGATES, **report_state_aggregates(today))
    }
    medians, overall = median_days_to_payment(period, ids)
    overdue = overdue_by_vop(today, ids)
    reports = satisfaction_by_vop(period, ids)
    reports_overdue = reports_overdue_by_vop(today, ids)
    rows = []
    for partnership in partnerships:
        n, amount = overdue.get(partnership.pk, (0, ZERO))
        rows.append(
            KpiRow(
                partnership=partnership,
                median_days=medians.get(partnership.pk),
                overdue=n,
                overdue_amount=amount,
                reports_overdue_today=reports_overdue.get(partnership.pk, 0),
                **grouped.get(partnership.pk, {}),
                **reports.get(partnership.pk, {}),
            )
        )
    totals = KpiRow(partnership=None, median_days=overall)
    summed = {"overdue", "overdue_amount", "reports_overdue_today", *REPORT_FIELDS}
    for name in KPI_AGGREGATES.keys() | summed:
        setattr(
            totals, name, sum((getattr(row, name) for row in rows), type(getattr(totals, name))())
        )
    return rows, totals


def by_host_country(period: Period, vop_id: int) -> list[tuple[str, int]]:
    """R-KPI-1: the VOP's counted exchanges by host country, most first."""
    return [
        (row["host__country"], row["n"])
        for row in counted_exchanges(period)
        .filter(vop_id=vop_id)
        .values("host__country")
        .annotate(n=Count("id"))
        .order_by("-n", "host__country")
    ]


def by_ecosystem(period: Period, vop_id: int) -> list[tuple[str | None, str | None, int]]:
    """R-KPI-1: the VOP's counted exchanges by the visitor's industrial ecosystems (code, name,
    count; ``None`` for visitors who gave none). A visitor in two ecosystems is in both rows."""
    return [
        (row["visitor__ecosystems__code"], row["visitor__ecosystems__name"], row["n"])
        for row in counted_exchanges(period)
        .filter(vop_id=vop_id)
        .values("visitor__ecosystems__code", "visitor__ecosystems__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "visitor__ecosystems__name")
    ]


def hosted_by_status(period: Period, partnership_id: int) -> dict[str, int]:
    """R-KPI-2: what the partnership hosts as HOP for another VOP, by status — never counted
    for it."""
    return {
        row["status"]: row["n"]
        for row in counted_exchanges(period)
        .filter(hop_id=partnership_id)
        .exclude(vop_id=partnership_id)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    }


def flow(period: Period) -> dict[tuple[str, str], int]:
    """Counted exchanges by (visitor's country, host's country)."""
    return {
        (row["visitor__country"], row["host__country"]): row["n"]
        for row in counted_exchanges(period)
        .order_by()
        .values("visitor__country", "host__country")
        .annotate(n=Count("id"))
    }


def by_month(period: Period, vop_id: int | None = None) -> dict[tuple[date, str], int]:
    """Counted exchanges by the month their stay starts and their status."""
    rows = counted_exchanges(period)
    if vop_id is not None:
        rows = rows.filter(vop_id=vop_id)
    result = {}
    for row in (
        rows.order_by()
        .annotate(month=TruncMonth("start_date"))
        .values("month", "status")
        .annotate(n=Count("id"))
    ):
        month = row["month"]
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        result[(month, row["status"])] = row["n"]
    return result


# --- the dashboards' tables -------------------------------------------------------------------

STATUS_LABELS = {s: ExchangeStatus(s).label for s in KPI_COUNTED_STATUSES}


def _count(value: int, href: str) -> Cell:
    return Cell(value, href if value else "")


def _money_cell(value: Decimal, href: str) -> Cell:
    return Cell(value, href if value else "", kind="money")


def kpi_row_cells(row: KpiRow, period: Period, *, label: Any) -> list[Cell]:
    vop = row.partnership.pk if row.partnership else None
    base = exchange_list_link(period, vop=vop)

    def link(**params: Any) -> str:
        """``exchange_list_link(period, vop=vop, **params)``: the same URL, the row's part
        built once."""
        return f"{base}&{urlencode(params)}" if params else base

    return [
        Cell(label, kind="text"),
        _count(row.total, link()),
        _count(row.contracted, link(status=ExchangeStatus.CONTRACTED)),
        _count(row.executed, link(status=ExchangeStatus.EXECUTED)),
        _count(row.closed, link(status=ExchangeStatus.CLOSED)),
        _count(row.physical, link(mode=ExchangeMode.PHYSICAL)),
        _count(row.virtual, link(mode=ExchangeMode.VIRTUAL)),
        _money_cell(row.committed, link(payment="committed")),
        _money_cell(row.paid, link(payment="paid")),
        _count(row.on_time, link(payment="on_time")),
        _count(row.late, link(payment="late")),
        Cell(row.median_days, link(payment="paid") if row.median_days is not None else "", "days"),
        _count(row.overdue, exchange_list_link(None, counted=None, vop=vop, payment="overdue")),
        _count(row.reports_on_time, link(report="on_time")),
        _count(row.reports_late, link(report="late")),
        _count(row.reports_overdue, link(report="overdue")),
        Cell(
            row.satisfaction,
            link(report="submitted") if row.satisfaction is not None else "",
            "score",
        ),
    ]


KPI_COLUMNS = [
    _("Partnership (VOP)"),
    _("Counted"),
    _("Contracted"),
    _("Executed"),
    _("Closed"),
    _("Physical"),
    _("Virtual"),
    _("Lump sums committed (EUR)"),
    _("Lump sums paid (EUR)"),
    _("Paid on time"),
    _("Paid late"),
    _("Median days from closing to payment"),
    _("Payments overdue today"),
    _("Final reports on time"),
    _("Final reports late"),
    _("Final reports overdue"),
    _("Overall satisfaction (1-5)"),
]


FAR_NOTE = _(
    "Final reports: each counted exchange once — on time when both reports (visitor's and "
    "host's) were first submitted within 7 days of the stay's end, late when both are in and "
    "one came later, overdue when one is still missing after that. Satisfaction: the mean "
    "overall satisfaction of every submitted report, visitor's and host's."
)


def partnerships_table(rows: list[KpiRow], totals: KpiRow, period: Period) -> KpiTable:
    return KpiTable(
        key="partnerships",
        caption=_("KPIs per partnership (as VOP)"),
        columns=KPI_COLUMNS,
        rows=[kpi_row_cells(row, period, label=row.partnership.acronym) for row in rows],  # type: ignore[union-attr]
        footer=kpi_row_cells(totals, period, label=_("Programme")),
        note=_("Overdue payments are counted today, whatever the period. %(far)s")
        % {"far": FAR_NOTE},
    )


def single_kpi_tables(row: KpiRow, period: Period) -> list[KpiTable]:
    """The partnership dashboard's status, mode and lump-sum tables, from its KPI row."""
    cells = kpi_row_cells(row, period, label="")
    pairs = list(zip(KPI_COLUMNS, cells, strict=True))
    return [
        KpiTable(
            key="status",
            caption=_("Counted exchanges by status"),
            columns=[_("Status"), _("Exchanges")],
            rows=[[Cell(label, kind="text"), cell] for label, cell in pairs[2:5]],
            footer=[Cell(_("Counted"), kind="text"), pairs[1][1]],
        ),
        KpiTable(
            key="mode",
            caption=_("Counted exchanges by mode"),
            columns=[_("Mode"), _("Exchanges")],
            rows=[[Cell(label, kind="text"), cell] for label, cell in pairs[5:7]],
            note=_("Virtual exchanges count, with no lump sum (R-EXC-8)."),
        ),
        KpiTable(
            key="payments",
            caption=_("Lump sums"),
            columns=[_("Figure"), _("Value")],
            rows=[[Cell(label, kind="text"), cell] for label, cell in pairs[7:13]],
            note=_("Overdue payments are counted today, whatever the period."),
        ),
        KpiTable(
            key="reports",
            caption=_("Final activity reports"),
            columns=[_("Figure"), _("Value")],
            rows=[[Cell(label, kind="text"), cell] for label, cell in pairs[13:]],
            note=FAR_NOTE,
        ),
    ]


def country_table(period: Period, vop_id: int, country_name) -> KpiTable:
    return KpiTable(
        key="host_country",
        caption=_("Counted exchanges by host country"),
        columns=[_("Host country"), _("Exchanges")],
        rows=[
            [
                Cell(country_name(code), kind="text"),
                _count(n, exchange_list_link(period, vop=vop_id, host_country=code)),
            ]
            for code, n in by_host_country(period, vop_id)
        ],
    )


def ecosystem_table(period: Period, vop_id: int) -> KpiTable:
    return KpiTable(
        key="ecosystem",
        caption=_("Counted exchanges by the visitor's industrial ecosystem"),
        columns=[_("Ecosystem"), _("Exchanges")],
        rows=[
            [
                Cell(name or _("None given"), kind="text"),
                _count(n, exchange_list_link(period, vop=vop_id, ecosystem=code or "null")),
            ]
            for code, name, n in by_ecosystem(period, vop_id)
        ],
        note=_("A visitor working in several ecosystems appears in each of them."),
    )


def hosted_table(period: Period, partnership_id: int) -> KpiTable:
    counts = hosted_by_status(period, partnership_id)
    total = sum(counts.values())
    return KpiTable(
        key="hosted",
        caption=_("Hosted as HOP for other VOPs (not counted here)"),
        columns=[_("Status"), _("Exchanges")],
        rows=[
            [
                Cell(label, kind="text"),
                _count(
                    counts.get(status, 0),
                    exchange_list_link(period, hop=partnership_id, status=status),
                ),
            ]
            for status, label in STATUS_LABELS.items()
        ],
        footer=[
            Cell(_("Total"), kind="text"),
            _count(total, exchange_list_link(period, hop=partnership_id)),
        ],
        note=_("R-KPI-1: these exchanges count for their VOP only."),
    )


def month_table(period: Period, vop_id: int | None = None) -> KpiTable:
    counts = by_month(period, vop_id)
    rows = []
    for first in period.months():
        start, end = max(first, period.start), min(month_end(first), period.end)
        span = Period(start, end)
        cells = [Cell(first.strftime("%Y-%m"), kind="text")]
        for status in STATUS_LABELS:
            n = counts.get((first, status), 0)
            cells.append(_count(n, exchange_list_link(span, vop=vop_id, status=status)))
        total = sum(counts.get((first, s), 0) for s in STATUS_LABELS)
        cells.append(_count(total, exchange_list_link(span, vop=vop_id)))
        rows.append(cells)
    return KpiTable(
        key="months",
        caption=_("Counted exchanges per month of the stay's start, by status"),
        columns=[_("Month"), *STATUS_LABELS.values(), _("Total")],
        rows=rows,
    )


def flow_table(period: Period, country_name) -> KpiTable:
    """The country-to-country flow: a row per visitor's country, a column per host country,
    each cell shaded by its share of the largest flow (the heat map).

    A cell's link is the period's list link with the two countries appended (the same URL as
    ``exchange_list_link(period, visitor_country=..., host_country=...)``: country codes need no
    quoting), built without a ``reverse`` and an ``urlencode`` per cell (issue 12); the row and
    column totals' links likewise (issue 13)."""
    counts = flow(period)
    base = exchange_list_link(period)
    # Each country named once (the names are translated lookups).
    names = {code: country_name(code) for code in {code for pair in counts for code in pair}}

    def pair_link(visitor: str, host: str) -> str:
        return f"{base}&visitor_country={visitor}&host_country={host}"

    visitors = sorted({v for v, _h in counts}, key=names.__getitem__)
    hosts = sorted({h for _v, h in counts}, key=names.__getitem__)
    highest = max(counts.values(), default=0)
    rows = []
    for visitor in visitors:
        cells = [Cell(names[visitor], kind="text")]
        for host in hosts:
            n = counts.get((visitor, host), 0)
            cells.append(
                Cell(n, pair_link(visitor, host) if n else "", heat=heat_level(n, highest))
            )
        total = sum(counts.get((visitor, h), 0) for h in hosts)
        cells.append(_count(total, f"{base}&visitor_country={visitor}"))
        rows.append(cells)
    footer = [Cell(_("Total"), kind="text")]
    for host in hosts:
        n = sum(counts.get((v, host), 0) for v in visitors)
        footer.append(_count(n, f"{base}&host_country={host}"))
    footer.append(_count(sum(counts.values()), base))
    return KpiTable(
        key="flow",
        caption=_("Country-to-country flow (rows: visitor's country; columns: host country)"),
        columns=[_("Visitor's country"), *[names[h] for h in hosts], _("Total")],
        rows=rows,
        footer=footer if visitors else None,
    )


def overdue_table(rows: list[KpiRow], totals: KpiRow) -> KpiTable:
    """Overdue payments (R-PAY-4) and overdue final reports (R-DOC-4) by partnership as VOP,
    today, whatever the period."""

    def link(vop: int | None) -> str:
        return exchange_list_link(None, counted=None, vop=vop, payment="overdue")

    def reports_link(vop: int | None) -> str:
        return exchange_list_link(None, counted=None, vop=vop, report="overdue")

    def cells(row: KpiRow, label: Any, vop: int | None) -> list[Cell]:
        return [
            Cell(label, kind="text"),
            _count(row.overdue, link(vop)),
            _money_cell(row.overdue_amount, link(vop)),
            _count(row.reports_overdue_today, reports_link(vop)),
        ]

    return KpiTable(
        key="overdue",
        caption=_("Overdue payments and final reports by partnership (today)"),
        columns=[
            _("Partnership (VOP)"),
            _("Payments overdue"),
            _("Amount (EUR)"),
            _("Exchanges with a final report overdue"),
        ],
        rows=[
            cells(row, row.partnership.acronym, row.partnership.pk)  # type: ignore[union-attr]
            for row in rows
            if row.overdue or row.reports_overdue_today
        ],
        footer=cells(totals, _("Programme"), None),
    )
