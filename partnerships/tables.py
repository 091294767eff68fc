"""django-tables2 tables of the staff pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ExpressionOfInterest, Match


class InterestTable(tables.Table):
    """The staff inbox: one row per expression of interest."""

    organisation = tables.TemplateColumn(
        template_name="partnerships/includes/col_interest_org.html",
        verbose_name=_("Organisation"),
        order_by=("organisation__legal_name",),
    )
    country = tables.Column(
        # Through the code: a choices accessor would rebuild the country choices per row.
        accessor="organisation__country__code",
        verbose_name=_("Country"),
        orderable=False,
    )
    role = tables.Column(verbose_name=_("Role"))

    def render_country(self, record):
        return record.organisation.country.name

    partnership = tables.Column(accessor="partnership__acronym", verbose_name=_("Partnership"))
    status = tables.TemplateColumn(
        template_name="partnerships/includes/col_status.html", verbose_name=_("Status")
    )
    created_at = tables.DateColumn(verbose_name=_("Submitted"), format="Y-m-d")

    class Meta:
        model = ExpressionOfInterest
        fields = ("organisation", "country", "role", "partnership", "status", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No expression of interest matches these filters.")
        order_by = ()


class MatchTable(tables.Table):
    """Matches where the user's partnership is VOP or HOP."""

    link = tables.TemplateColumn(
        template_name="partnerships/includes/col_match_link.html",
        verbose_name=_("Match"),
        orderable=False,
    )
    visitor = tables.Column(accessor="visitor__legal_name", verbose_name=_("Visitor"))
    vop = tables.Column(accessor="vop__acronym", verbose_name=_("VOP"))
    host = tables.Column(accessor="host__legal_name", verbose_name=_("Host"))
    hop = tables.Column(accessor="hop__acronym", verbose_name=_("HOP"))
    score = tables.Column(verbose_name=_("Score"))
    status = tables.TemplateColumn(
        template_name="partnerships/includes/col_status.html", verbose_name=_("Status")
    )
    created_at = tables.DateColumn(verbose_name=_("Proposed"), format="Y-m-d")

    class Meta:
        model = Match
        fields = ("link", "visitor", "vop", "host", "hop", "score", "status", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No match yet.")
        order_by = ()
