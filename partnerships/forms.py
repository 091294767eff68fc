"""Input shapes of the partnerships pages. Rules live in the services; these only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cxc_portal.core.dates import STAY_DATES, date_within
from cxc_portal.core.search import SearchField
from organisations.choices import ActivityType, ParticipantRole
from organisations.models import IndustrialEcosystem, Organisation


class DateInput(forms.DateInput):
    input_type = "date"


def country_choices(codes) -> list[tuple[str, str]]:
    """(code, name) pairs, sorted by name."""
    return sorted(((c, str(countries.name(c))) for c in codes), key=lambda pair: pair[1])


class InterestForm(forms.Form):
    """R-PART-2: the expression of interest ("exchange opportunity form")."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=_("Take part as"),
        choices=ParticipantRole.choices,
        widget=forms.RadioSelect,
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you want to learn, share or start with a partner abroad."),
    )
    activity_types = forms.MultipleChoiceField(
        label=_("Activities you want (as visitor) or offer (as host)"),
        choices=ActivityType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_countries = forms.MultipleChoiceField(
        label=_("Preferred countries"),
        choices=(),
        # A searchable picker (static/js/picker.js); without JavaScript a plain multi-select.
        widget=forms.SelectMultiple(
            attrs={
                "size": 8,
                "data-picker": "",
                "data-picker-placeholder": _("Type a country's name"),
            }
        ),
        required=False,
        help_text=_(
            "Where you would like your host (or your visitors) to be. Type a few letters and "
            "pick (without JavaScript: hold Ctrl or ⌘ to choose several)."
        ),
    )
    ecosystems = forms.ModelMultipleChoiceField(
        label=_("Industrial ecosystems of interest"),
        queryset=IndustrialEcosystem.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    period_from = forms.DateField(
        label=_("Available from"),
        widget=DateInput,
        required=False,
        validators=[date_within(STAY_DATES)],
    )
    period_until = forms.DateField(
        label=_("Available until"),
        widget=DateInput,
        required=False,
        validators=[date_within(STAY_DATES)],
    )
    can_host_several = forms.BooleanField(
        label=_("As host: we can welcome several visitors at the same time"), required=False
    )

    def __init__(
        self,
        *args,
        organisations: list[Organisation],
        roles: list[str],
        country_codes,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("legal_name")
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
        # The ecosystems of interest start from the profile's: the organisation shown first
        # (the only one, or the first by name, as the select shows it).
        if organisations and "ecosystems" not in self.initial:
            first = min(organisations, key=lambda o: o.legal_name)
            self.initial["ecosystems"] = list(first.ecosystems.all())
        self.fields["role"].choices = [
            (value, label) for value, label in ParticipantRole.choices if value in roles
        ]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["preferred_countries"].choices = country_choices(country_codes)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_until")
        if start and end and end < start:
            self.add_error("period_until", _("The period must end after it starts."))
        return data


class AcceptInterestForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DeclineForm(forms.Form):
    """Declining an interest or a match always needs a reason (sent to the other party)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. It is sent with the decision."),
    )


class ProposeMatchForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the other organisation (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Introduce yourself and say what you would like to do together."),
    )


class CatalogueSearchForm(forms.Form):
    """R-MATCH-2: search the catalogue of validated profiles of the other role."""

    SORT_CHOICES = (("score", _("Best score first")), ("name", _("Name")))

    q = SearchField(label=_("Search"))
    country = forms.ChoiceField(label=_("Country"), required=False, choices=())
    ecosystem = forms.ChoiceField(label=_("Ecosystem"), required=False, choices=())
    only_possible = forms.BooleanField(label=_("Only possible matches"), required=False)
    same_partnership = forms.BooleanField(
        label=_("Only within my partnership"),
        required=False,
        help_text=_("The first approach is to your partnership's members (R-PART-3)."),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, country_codes, ecosystems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices(country_codes)]
        self.fields["ecosystem"].choices = [
            ("", _("All ecosystems")),
            *((e.code, e.name) for e in ecosystems),
        ]
