"""Filters of the staff exchange list: status, partnership, country, mode, dates, search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.search import SearchFilter
from organisations.selectors import participating_country_codes

from .calendar import country_name
from .models import Exchange, ExchangeMode, ExchangeStatus
from .selectors import partnership_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExchangeFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Organisation or reference"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExchangeStatus.choices)
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership (VOP or HOP)"),
        queryset=lambda request: partnership_choices(),
        method="filter_partnership",
    )
    country = django_filters.ChoiceFilter(
        label=_("Country (visitor or host)"), choices=(), method="filter_country"
    )
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=ExchangeMode.choices)
    stay_from = django_filters.DateFilter(
        label=_("Stay on or after"), field_name="end_date", lookup_expr="gte", widget=DATE_INPUT
    )
    stay_until = django_filters.DateFilter(
        label=_("Stay on or before"),
        field_name="start_date",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )

    class Meta:
        model = Exchange
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = participating_country_codes(today=timezone.localdate())
        self.filters["country"].extra["choices"] = sorted(
            ((code, country_name(code)) for code in codes), key=lambda c: c[1]
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(visitor__legal_name__icontains=value)
            | Q(host__legal_name__icontains=value)
        )

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(Q(vop=value) | Q(hop=value)) if value else queryset

    def filter_country(self, queryset, name, value):
        return (
            queryset.filter(Q(visitor__country=value) | Q(host__country=value))
            if value
            else queryset
        )
