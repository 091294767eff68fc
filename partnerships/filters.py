"""django-filter sets of the partnerships pages (the querysets come from the selectors)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.search import SearchFilter
from organisations.choices import ParticipantRole
from organisations.models import IndustrialEcosystem
from organisations.reference import COSME_ASSOCIATED, EU_MEMBER_STATES

from .forms import country_choices
from .models import ExpressionOfInterest, InterestStatus, Match, MatchStatus, Partnership


class PartnershipFilter(django_filters.FilterSet):
    """R-PART-1: find the partnership that suits you, by ecosystem, country or words."""

    q = SearchFilter(label=_("Search"), method="filter_q")
    ecosystem = django_filters.ModelChoiceFilter(
        label=_("Industrial ecosystem"),
        field_name="ecosystems",
        to_field_name="code",
        queryset=IndustrialEcosystem.objects.order_by("name"),
        empty_label=_("All ecosystems"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=country_choices((*EU_MEMBER_STATES, *COSME_ASSOCIATED)),
        method="filter_country",
        empty_label=_("All countries"),
    )

    class Meta:
        model = Partnership
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(description__icontains=value)
        )

    def filter_country(self, queryset, name, value):
        # ``countries`` is stored as comma-separated two-letter codes: a two-letter code can
        # only occur as a whole code, never across a comma.
        return queryset.filter(countries__contains=value) if value else queryset


class InterestInboxFilter(django_filters.FilterSet):
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership"), queryset=Partnership.objects.none(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        # The inbox's words: a submitted interest is one to decide (R-PART-2).
        choices=[
            (InterestStatus.SUBMITTED.value, _("To decide")),
            *((v, label) for v, label in InterestStatus.choices if v != InterestStatus.SUBMITTED),
        ],
        empty_label=_("All"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=ParticipantRole.choices, empty_label=_("Both")
    )
    q = SearchFilter(label=_("Organisation"), method="filter_q")

    #: The inbox opens on the interests to decide; "All" (an empty status) shows every one.
    DEFAULT_STATUS = InterestStatus.SUBMITTED.value

    class Meta:
        model = ExpressionOfInterest
        fields: list[str] = []

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            self.filters["partnership"].queryset = partnerships

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(organisation__legal_name__icontains=value) if value else queryset


class MatchStaffFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MatchStatus.choices, empty_label=_("All")
    )
    q = SearchFilter(label=_("Organisation"), method="filter_q")

    class Meta:
        model = Match
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(visitor__legal_name__icontains=value) | Q(host__legal_name__icontains=value)
        )
