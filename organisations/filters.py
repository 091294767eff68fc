"""Filters of the staff list of profiles (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.search import SearchFilter

from .choices import OrganisationType, ProfileStatus
from .models import ParticipatingCountry


def _country_choices():
    # The profiles can only be in participating countries (R-ELIG-7): list those, by name.
    return sorted(
        ((str(c.country.code), str(c.country.name)) for c in ParticipatingCountry.objects.all()),
        key=lambda pair: pair[1],
    )


class OrganisationQueueFilter(django_filters.FilterSet):
    q = SearchFilter(method="search", label=_("Search"))
    org_type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, label=_("Type"), empty_label=_("Any type")
    )
    country = django_filters.ChoiceFilter(
        choices=_country_choices, label=_("Country"), empty_label=_("Any country")
    )
    status = django_filters.ChoiceFilter(
        choices=ProfileStatus.choices, label=_("Status"), empty_label=_("Any status")
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(city_name__icontains=value)
            | Q(eccp_profile_id__iexact=value)
            | Q(keywords__icontains=value)
        )
