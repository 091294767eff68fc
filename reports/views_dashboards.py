"""The KPI dashboards (issue 13, R-KPI-1, R-KPI-2): a partnership's (its staff; the Support
Office for any partnership) and the Support Office's programme dashboard; each table exported
as CSV or XLSX (``?export=csv|xlsx&table=<key>``), and the Support Office's full exchange export.

Applicants get no dashboard (403, as on every staff page); another partnership's dashboard is a
404 for partnership staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.accounts.roles import user_access, user_roles
from exchanges.calendar import country_name

from . import kpi
from .exports import exchange_export_response, table_csv_response, table_xlsx_response
from .forms_dashboards import period_form, year_periods
from .selectors_dashboards import dashboard_partnership_get, dashboard_partnerships

STAFF_ONLY = gettext_lazy("Only partnership staff and the Support Office see the dashboards.")
SUPPORT_OFFICE_ONLY = gettext_lazy(
    "Only the Support Office sees the programme dashboard and its exports."
)

STATUS_COLOURS = {"contracted": "#0d6efd", "executed": "#6f42c1", "closed": "#198754"}


def _require_staff(request) -> None:
    if not user_roles(request.user).is_staff_like:
        raise PermissionDenied(STAFF_ONLY)


def _period(request):
    today = timezone.localdate()
    default = kpi.default_period(today)
    form = period_form(request.GET, default=default)
    return form, form.period(default), today


def _export(request, tables: list[kpi.KpiTable], stem: str):
    """The export asked for in the query (``None`` when none was); unknown table or format: 404."""
    kind = request.GET.get("export")
    if not kind:
        return None
    by_key = {table.key: table for table in tables}
    table = by_key.get(request.GET.get("table", ""))
    if table is None or kind not in ("csv", "xlsx"):
        raise Http404("No such export.")
    filename = f"{stem}-{table.key}"
    if kind == "csv":
        return table_csv_response(table, filename)
    return table_xlsx_response(table, filename)


def _month_chart(table: kpi.KpiTable) -> dict[str, Any]:
    return {
        "type": "bar",
        "stacked": True,
        "labels": [row[0].value for row in table.rows],
        "datasets": [
            {
                "label": str(label),
                "data": [row[i + 1].value for row in table.rows],
                "colour": STATUS_COLOURS[status],
            }
            for i, (status, label) in enumerate(kpi.STATUS_LABELS.items())
        ],
    }


def _context(request, form, period, today, **extra) -> dict[str, Any]:
    query = request.GET.copy()
    for name in ("export", "table"):
        query.pop(name, None)
    return {
        "form": form,
        "period": period,
        "years": year_periods(today),
        "query": query.urlencode(),
        **extra,
    }


@login_required
def dashboard_index(request):
    """The Support Office's programme dashboard; a staff member's partnership dashboard (or the
    choice between their partnerships)."""
    _require_staff(request)
    if user_access(request.user).support_office:
        return programme_dashboard(request)
    partnerships = dashboard_partnerships(user=request.user)
    if len(partnerships) == 1:
        target = reverse("dashboards:partnership", kwargs={"slug": partnerships[0].slug})
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    return render(request, "reports/dashboards/index.html", {"partnerships": partnerships})


def programme_dashboard(request):
    """Every partnership's KPIs side by side with the programme totals, the country-to-country
    flow, the months by status and the overdue payments. A constant number of queries."""
    form, period, today = _period(request)
    partnerships = dashboard_partnerships(user=request.user)
    rows, totals = kpi.kpi_rows(period=period, today=today, partnerships=partnerships)
    partnership_table = kpi.partnerships_table(rows, totals, period)
    months = kpi.month_table(period)
    flow = kpi.flow_table(period, country_name)
    overdue = kpi.overdue_table(rows, totals)
    tables = [partnership_table, months, flow, overdue]
    exported = _export(request, tables, f"programme-{period.start}-{period.end}")
    if exported is not None:
        return exported
    lump_chart = {
        "type": "bar",
        "stacked": False,
        "labels": [row.partnership.acronym for row in rows if row.partnership],
        "datasets": [
            {
                "label": _("Committed (EUR)"),
                "data": [float(row.committed) for row in rows],
                "colour": "#0d6efd",
            },
            {
                "label": _("Paid (EUR)"),
                "data": [float(row.paid) for row in rows],
                "colour": "#198754",
            },
        ],
    }
    return render(
        request,
        "reports/dashboards/programme.html",
        _context(
            request,
            form,
            period,
            today,
            totals=totals,
            headline_pairs=_headline(totals, period),
            partnership_table=partnership_table,
            months=months,
            flow=flow,
            overdue=overdue,
            month_chart=_month_chart(months),
            lump_chart=lump_chart,
        ),
    )


def _headline(row: kpi.KpiRow, period: kpi.Period) -> list[tuple[Any, kpi.Cell]]:
    """Counted, physical, virtual, committed, paid, median days, overall satisfaction: the
    figures at the top."""
    cells = kpi.kpi_row_cells(row, period, label="")
    return [(kpi.KPI_COLUMNS[i], cells[i]) for i in (1, 5, 6, 7, 8, 11, 16)]


@login_required
def partnership_dashboard(request, slug: str):
    """One partnership's KPIs as VOP (R-KPI-1, R-KPI-2), with what it hosts as HOP apart."""
    _require_staff(request)
    partnership = dashboard_partnership_get(user=request.user, slug=slug)
    form, period, today = _period(request)
    rows, _totals = kpi.kpi_rows(period=period, today=today, partnerships=[partnership])
    row = rows[0]
    status, mode, payments, reports = kpi.single_kpi_tables(row, period)
    months = kpi.month_table(period, partnership.pk)
    tables = [
        status,
        mode,
        payments,
        reports,
        kpi.country_table(period, partnership.pk, country_name),
        kpi.ecosystem_table(period, partnership.pk),
        kpi.hosted_table(period, partnership.pk),
        months,
    ]
    exported = _export(request, tables, f"{partnership.slug}-{period.start}-{period.end}")
    if exported is not None:
        return exported
    return render(
        request,
        "reports/dashboards/partnership.html",
        _context(
            request,
            form,
            period,
            today,
            partnership=partnership,
            row=row,
            headline_pairs=_headline(row, period),
            tables=tables[:-1],
            months=months,
            month_chart=_month_chart(months),
            support_office=user_access(request.user).support_office,
        ),
    )


@login_required
def exchange_export(request):
    """The Support Office's full exchange export: one row per exchange, streamed."""
    if not user_access(request.user).support_office:
        raise PermissionDenied(SUPPORT_OFFICE_ONLY)
    return exchange_export_response()
