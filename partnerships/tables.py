"""django-tables2 tables of the staff pages."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from organisations.tables import organisation_name_cell

from . import permissions
from .models import ExpressionOfInterest, InterestStatus, Match


def _user(table):
    return getattr(getattr(table, "request", None), "user", None)


class InterestTable(tables.Table):
    """The staff inbox: one row per expression of interest; the organisation's name leads to
    its profile (where the user may open it), "Open" to the interest to decide."""

    interest = tables.Column(
        verbose_name=_("Interest"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )
    organisation = tables.Column(
        verbose_name=_("Organisation"),
        order_by=("organisation__legal_name",),
    )

    def render_interest(self, record):
        user = _user(self)
        decide = (
            record.status == InterestStatus.SUBMITTED
            and user is not None
            and permissions.can_decide_interest(user, record)
        )
        # WCAG 2.5.3 (label in name): the accessible name starts with the visible word, so
        # a person who says "click Decide" reaches the link.
        action = _("Decide") if decide else _("Open")
        return format_html(
            '<a href="{}" aria-label="{}">{}</a>',
            reverse("partnerships:interest_detail", kwargs={"pk": record.pk}),
            _("%(action)s: expression of interest of %(org)s")
            % {"action": action, "org": record.organisation.legal_name},
            action,
        )

    def render_organisation(self, record):
        return organisation_name_cell(_user(self), record.organisation)

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
    created_at = tables.DateColumn(
        verbose_name=_("Submitted"), format="j M Y", attrs={"td": {"class": "text-nowrap"}}
    )

    class Meta:
        model = ExpressionOfInterest
        fields = (
            "interest",
            "organisation",
            "country",
            "role",
            "partnership",
            "status",
            "created_at",
        )
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
    visitor = tables.Column(
        verbose_name=_("Visitor"), accessor="visitor__legal_name", order_by=("visitor__legal_name",)
    )
    vop = tables.Column(accessor="vop__acronym", verbose_name=_("VOP"))
    host = tables.Column(
        verbose_name=_("Host"), accessor="host__legal_name", order_by=("host__legal_name",)
    )
    hop = tables.Column(accessor="hop__acronym", verbose_name=_("HOP"))
    score = tables.Column(verbose_name=_("Score"))
    status = tables.TemplateColumn(
        template_name="partnerships/includes/col_status.html", verbose_name=_("Status")
    )
    created_at = tables.DateColumn(
        verbose_name=_("Proposed"), format="j M Y", attrs={"td": {"class": "text-nowrap"}}
    )

    def render_visitor(self, record):
        return organisation_name_cell(_user(self), record.visitor)

    def render_host(self, record):
        return organisation_name_cell(_user(self), record.host)

    class Meta:
        model = Match
        fields = ("link", "visitor", "vop", "host", "hop", "score", "status", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No match yet.")
        order_by = ()
