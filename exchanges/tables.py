"""The staff list of exchanges (django-tables2); the same table feeds the CSV export."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .calendar import working_days
from .guards import MIN_PLAN_HOURS


class ExchangeTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Reference"), linkify=("exchanges:detail", {"pk": tables.A("pk")})
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
    vop = tables.Column(verbose_name=_("VOP"), accessor="vop__acronym")
    hop = tables.Column(verbose_name=_("HOP"), accessor="hop__acronym")
    mode = tables.Column(verbose_name=_("Mode"))
    start_date = tables.DateColumn(verbose_name=_("First day"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("Last day"), format="Y-m-d")
    working_days = tables.Column(verbose_name=_("Working days"), empty_values=(), orderable=False)
    counted_hours = tables.Column(verbose_name=_("Plan hours"))
    status = tables.Column(verbose_name=_("Status"))
    group = tables.Column(verbose_name=_("Group"), accessor="group__name", default="")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-start_date",)
        empty_text = _("No exchange matches these filters.")

    # Working days come from the host's holiday calendar (R-EXC-3), computed in Python: no
    # query per row (holiday calendars are cached per country and year).
    def _days(self, record) -> int:
        return working_days(record.start_date, record.end_date, str(record.host.country.code)).count

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

    def render_counted_hours(self, value):
        css = "text-success" if value >= MIN_PLAN_HOURS else "text-body-secondary"
        return render_to_string("exchanges/includes/hours_cell.html", {"value": value, "css": css})

    def value_counted_hours(self, value):
        return value

    def render_status(self, record):
        return render_to_string("exchanges/includes/status_badge.html", {"exchange": record})

    def value_status(self, record):
        return record.status
