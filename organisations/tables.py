"""The staff list of profiles (django-tables2)."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .choices import ProfileStatus
from .models import Organisation
from .permissions import can_view_organisation


def organisation_name_cell(user, organisation: Organisation, *, href: str | None = None) -> str:
    """An organisation's name for a staff list: a link to its profile where ``user`` may open
    it (no query: the user's links are cached), plain text elsewhere. ``href``: the profile's
    URL when the caller has it already (a list reverses it once per page, issue 12)."""
    if user is not None and can_view_organisation(user, organisation):
        return format_html(
            '<a href="{}">{}</a>',
            href or reverse("organisations:detail", kwargs={"pk": organisation.pk}),
            organisation.legal_name,
        )
    return organisation.legal_name


class OrganisationQueueTable(tables.Table):
    legal_name = tables.Column(
        verbose_name=_("Organisation"), linkify=("organisations:detail", {"pk": tables.A("pk")})
    )
    org_type = tables.Column(verbose_name=_("Type"), accessor="type_display", order_by="org_type")
    # Accessed through the code: a choices accessor would rebuild the country choices per row.
    # The city and the country in one cell ("Skopje, North Macedonia"): one column fewer.
    country = tables.Column(
        verbose_name=_("Place"), accessor="country__code", order_by=("country", "city_name")
    )
    validating_partnership = tables.Column(
        verbose_name=_("Partnership"), accessor="validating_partnership__acronym"
    )
    status = tables.Column(verbose_name=_("Status"))
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted"), format="j M Y", attrs={"td": {"class": "text-nowrap"}}
    )
    #: Days since submission, for a profile still waiting; longest wait = earliest submission.
    waiting = tables.Column(
        verbose_name=_("Waiting"),
        accessor="submitted_at",
        order_by=("-submitted_at",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    eligibility = tables.Column(verbose_name=_("Eligibility"), empty_values=(), orderable=False)

    #: Verdicts of the rows on the current page, set by the view after pagination.
    verdicts: dict = {}

    class Meta:
        model = Organisation
        fields = ()
        sequence = (
            "legal_name",
            "org_type",
            "country",
            "validating_partnership",
            "status",
            "submitted_at",
            "waiting",
            "eligibility",
        )
        # Oldest submission first: the profile waiting longest is decided first.
        order_by = ("submitted_at", "legal_name")
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No profile matches these filters.")

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_waiting(self, record, value):
        if record.status != ProfileStatus.SUBMITTED:
            return "—"
        days = (self.today - timezone.localdate(value)).days
        if days <= 0:
            return _("since today")
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    def render_country(self, record):
        if record.city_name:
            return f"{record.city_name}, {record.country.name}"
        return record.country.name

    # Profiles never submitted (drafts) come after every waiting one, whichever the direction.
    def order_submitted_at(self, queryset, is_descending):
        key = F("submitted_at").desc if is_descending else F("submitted_at").asc
        return queryset.order_by(key(nulls_last=True), "legal_name"), True

    def order_waiting(self, queryset, is_descending):
        # More days waiting = submitted earlier.
        return self.order_submitted_at(queryset, not is_descending)

    def render_status(self, record):
        return render_to_string(
            "organisations/includes/status_badge.html", {"organisation": record}
        )

    def render_eligibility(self, record):
        verdict = self.verdicts.get(record.pk)
        if verdict is None:
            return "—"
        return render_to_string(
            "organisations/includes/verdict_badges.html", {"verdict": verdict, "org": record}
        )
