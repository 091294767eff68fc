"""Dashboard exports: any dashboard table as CSV (through the one CSV writer,
``cxc_portal.core.csv``) or XLSX (openpyxl, with the CSV writer's formula guard on every cell),
and the Support Office's full exchange export (one row per exchange, every field the KPIs use),
streamed in chunks so that it never holds the whole table in memory."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from cxc_portal.core.csv import csv_cell, csv_response
from exchanges.models import KPI_COUNTED_STATUSES, Exchange
from organisations.models import IndustrialEcosystem

from .far_rules import far_due_date
from .kpi import KpiTable
from .models import FinalReport, FinalReportSide

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows read per query by the full export (each chunk also prefetches its ecosystems).
CHUNK = 2000


def table_csv_response(table: KpiTable, filename: str):
    return csv_response(f"{filename}.csv", table.columns, table.values())


def table_xlsx_response(table: KpiTable, filename: str) -> HttpResponse:
    """One sheet: the header, then the rows; texts guarded like the CSV cells (``csv_cell``)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.key[:31])
    sheet.append([csv_cell(value) for value in table.columns])
    for row in table.values():
        sheet.append([csv_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{filename}.xlsx") or "attachment"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


EXCHANGE_EXPORT_HEADER = [
    "reference",
    "status",
    "counted (R-KPI-2)",
    "mode",
    "stay start",
    "stay end",
    "VOP",
    "HOP",
    "visitor",
    "visitor country",
    "visitor ecosystems",
    "host",
    "host country",
    "contracted at",
    "executed at",
    "closed at",
    "cancelled at",
    "lump sum (EUR)",
    "payment status",
    "due date",
    "paid on",
    "days from closing to payment",
    "final reports due",
    "visitor report submitted",
    "visitor report on time",
    "visitor satisfaction",
    "host report submitted",
    "host report on time",
    "host satisfaction",
]


def _report_cells(report: FinalReport | None, due, today) -> list[Any]:
    """R-DOC-4: one side's final report — the day it was first submitted, whether that was on
    time ("yes", "no"; "overdue" when still missing after its due date, "" before), and its
    overall satisfaction (1-5)."""
    first = report.first_submitted_at if report is not None else None
    if first is None:
        return ["", "overdue" if today > due else "", ""]
    day = timezone.localdate(first)
    score = report.satisfaction_overall if report is not None else None
    return [day.isoformat(), "yes" if day <= due else "no", "" if score is None else score]


def _stamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def exchange_export_rows() -> Iterator[list[Any]]:
    """Every exchange, oldest first, read ``CHUNK`` rows at a time (each chunk: the exchanges,
    their visitors' ecosystems, their final reports)."""
    today = timezone.localdate()
    rows = (
        Exchange.objects.select_related("vop", "hop", "visitor", "host", "payment")
        .prefetch_related(
            Prefetch("visitor__ecosystems", queryset=IndustrialEcosystem.objects.only("code")),
            Prefetch(
                "final_reports",
                queryset=FinalReport.objects.only(
                    "exchange_id", "side", "first_submitted_at", "satisfaction_overall"
                ),
            ),
        )
        .order_by("pk")
    )
    for exchange in rows.iterator(chunk_size=CHUNK):
        reports = {report.side: report for report in exchange.final_reports.all()}
        has_reports = exchange.status in KPI_COUNTED_STATUSES
        due = far_due_date(exchange.end_date)
        far_cells: list[Any] = []
        for side in (FinalReportSide.VISITOR, FinalReportSide.HOST):
            far_cells += (
                _report_cells(reports.get(side), due, today) if has_reports else ["", "", ""]
            )
        payment = getattr(exchange, "payment", None)
        days: Any = ""
        if payment is not None and payment.paid_on and exchange.closed_at:
            days = (payment.paid_on - timezone.localtime(exchange.closed_at).date()).days
        yield [
            exchange.reference,
            exchange.status,
            "yes" if exchange.status in KPI_COUNTED_STATUSES else "no",
            exchange.mode,
            exchange.start_date.isoformat(),
            exchange.end_date.isoformat(),
            exchange.vop.acronym,
            exchange.hop.acronym,
            exchange.visitor.legal_name,
            exchange.visitor.country.code,
            ";".join(e.code for e in exchange.visitor.ecosystems.all()),
            exchange.host.legal_name,
            exchange.host.country.code,
            _stamp(exchange.contracted_at),
            _stamp(exchange.executed_at),
            _stamp(exchange.closed_at),
            _stamp(exchange.cancelled_at),
            payment.amount if payment else "",
            payment.status if payment else "",
            payment.due_date.isoformat() if payment and payment.due_date else "",
            payment.paid_on.isoformat() if payment and payment.paid_on else "",
            days,
            due.isoformat() if has_reports else "",
            *far_cells,
        ]


def exchange_export_response():
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"exchanges-kpi-{stamp}.csv", EXCHANGE_EXPORT_HEADER, exchange_export_rows(), streaming=True
    )
