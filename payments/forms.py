"""Input shapes of the payments room: the rates page and the public lump-sum estimator.

Forms check the shape of the input and the facts that need no rule of this room (a known
country, an ordered pair of dates, R-EXC-3 through ``exchanges.calendar``); the amount itself is
computed by ``lump_sum.compute_lump_sum`` and rates are written by ``services.rate_add``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_countries import countries

from exchanges.calendar import WorkingDays, check_duration, country_name
from organisations.forms import DateInput
from organisations.gazetteer import distance_km
from organisations.models import City
from organisations.selectors import city_resolve

from .lump_sum import PHYSICAL, VIRTUAL
from .selectors import city_get

MODE_CHOICES = [(PHYSICAL, _lazy("Physical (the visitor travels)")), (VIRTUAL, _lazy("Virtual"))]
BLANK = [("", "---------")]


def _country_choices(codes) -> list[tuple[str, str]]:
    return BLANK + sorted(((c, str(countries.name(c))) for c in codes), key=lambda x: x[1])


class RateAddForm(forms.Form):
    """R-PAY-3: a new dated rate for a host country (checked by ``services.rate_add``)."""

    country = forms.ChoiceField(label=_lazy("Host country"))
    amount = forms.DecimalField(
        label=_lazy("Amount (EUR)"),
        max_digits=8,
        decimal_places=2,
        help_text=_lazy("The lump sum for a full stay; it is also the country's threshold."),
    )
    valid_from = forms.DateField(label=_lazy("Valid from"), widget=DateInput)
    valid_until = forms.DateField(
        label=_lazy("Valid until (included)"),
        required=False,
        widget=DateInput,
        help_text=_lazy(
            "Leave empty for 'until further notice'. The country's current open-ended rate "
            "ends the day before this one starts."
        ),
    )

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices(country_codes)


class CountryCodeField(forms.CharField):
    """A host country as an ISO code, shown as a list of the participating countries; an
    unknown code and a non-participating one get different messages (see the form)."""

    widget = forms.Select

    def to_python(self, value):
        return super().to_python(value).strip().upper()


def _city_field(side: str, label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        help_text=_lazy("Type a few letters and pick the city from the list."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("lump_sum_cities"),
                "hx-vals": f'{{"side": "{side}"}}',
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{side}-city-suggestions",
                "hx-include": f"[name={side}_country]",
                "hx-sync": "this:replace",
                "data-city-input": "",
            }
        ),
    )


class LumpSumEstimateForm(forms.Form):
    """The public estimator's questions (R-PAY-2, R-EXC-3, R-EXC-8).

    The distance is given either directly or as the two organisations' cities (gazetteer ids in
    ``visitor_city`` / ``host_city``, or names picked in the list on the page).
    """

    host_country = CountryCodeField(label=_lazy("Host country"), max_length=2)
    start = forms.DateField(label=_lazy("First day of the stay"), widget=DateInput)
    end = forms.DateField(
        label=_lazy("Last day of the stay"),
        widget=DateInput,
        help_text=_lazy("Travel days are not part of the stay."),
    )
    mode = forms.ChoiceField(
        label=_lazy("Mode"),
        choices=MODE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        initial=PHYSICAL,
    )
    distance_km = forms.DecimalField(
        label=_lazy("Distance between the two organisations (km)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=3,
        error_messages={"min_value": _lazy("A distance cannot be negative.")},
        help_text=_lazy("Or leave empty and pick the two cities below."),
    )
    visitor_country = CountryCodeField(
        label=_lazy("Visitor's country"), max_length=2, required=False
    )
    visitor_city_name = _city_field("visitor", _lazy("Visitor's city"))
    visitor_city = forms.IntegerField(required=False, widget=forms.HiddenInput)
    host_city_name = _city_field("host", _lazy("Host's city"))
    host_city = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, participating=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participating = frozenset(participating)
        choices = _country_choices(self.participating)
        self.fields["host_country"].widget.choices = choices
        self.fields["visitor_country"].widget.choices = choices
        for side in ("visitor", "host"):
            self.fields[f"{side}_city"].widget.attrs["data-city-id"] = side
        self.working_days: WorkingDays | None = None
        self.visitor_city_obj: City | None = None
        self.host_city_obj: City | None = None

    def clean_host_country(self) -> str:
        code = self.cleaned_data["host_country"]
        if code not in countries:
            raise ValidationError(
                _("“%(code)s” is not a known country code (ISO 3166, e.g. PT)."),
                code="unknown_country",
                params={"code": code},
            )
        if code not in self.participating:
            raise ValidationError(
                _(
                    "%(country)s is not a COSME participating country: organisations there "
                    "cannot take part (R-ELIG-8)."
                ),
                code="R-ELIG-8",
                params={"country": country_name(code)},
            )
        return code

    def clean_visitor_country(self) -> str:
        code = self.cleaned_data["visitor_country"]
        if code and code not in countries:
            raise ValidationError(
                _("“%(code)s” is not a known country code (ISO 3166, e.g. PT)."),
                code="unknown_country",
                params={"code": code},
            )
        return code

    def clean_mode(self) -> str:
        return self.cleaned_data["mode"] or PHYSICAL

    def clean(self):
        data = super().clean()
        self._check_dates(data)
        self._check_cities(data)
        if (
            data.get("mode") == PHYSICAL
            and data.get("distance_km") is None
            and "distance_km" not in self.errors
            and not (self.visitor_city_obj and self.host_city_obj)
            and not any(f in self.errors for f in self._city_fields())
        ):
            self.add_error(
                "distance_km",
                ValidationError(
                    _("Give the distance between the two organisations, or pick both cities."),
                    code="required",
                ),
            )
        return data

    @staticmethod
    def _city_fields() -> tuple[str, ...]:
        return ("visitor_city", "visitor_city_name", "host_city", "host_city_name")

    def _check_dates(self, data) -> None:
        start, end, country = data.get("start"), data.get("end"), data.get("host_country")
        if start is None or end is None:
            return
        if end < start:
            self.add_error(
                "end",
                ValidationError(
                    _("The last day of the stay cannot be before its first day."), code="R-EXC-3"
                ),
            )
            return
        if not country:
            return  # the country's holidays are needed to count the working days
        verdict = check_duration(start, end, country)
        for refusal in verdict.refusals:
            # R-EXC-3: at least three full working days, at most one month.
            self.add_error("end", ValidationError(refusal.text, code=refusal.rule))
        if verdict.ok:
            self.working_days = verdict.working_days

    def _check_cities(self, data) -> None:
        host_country = data.get("host_country")
        sides = (("visitor", data.get("visitor_country")), ("host", host_country))
        for side, country in sides:
            name, pk = data.get(f"{side}_city_name"), data.get(f"{side}_city")
            city = None
            if name:
                if not country:
                    if side == "visitor":
                        self.add_error(
                            "visitor_country",
                            ValidationError(_("Choose the country of the city."), code="required"),
                        )
                    continue  # the host country has its own error already
                city = city_resolve(country=country, name=name, city_id=pk)
                if city is None:
                    self.add_error(
                        f"{side}_city_name",
                        ValidationError(
                            _("No city of that name in %(country)s: pick one from the list."),
                            code="unknown_city",
                            params={"country": country_name(country)},
                        ),
                    )
                    continue
            elif pk is not None:
                city = city_get(pk)
                if city is None:
                    self.add_error(
                        f"{side}_city",
                        ValidationError(_("No city has this id."), code="unknown_city"),
                    )
                    continue
            if (
                city is not None
                and side == "host"
                and host_country
                and city.country != host_country
            ):
                self.add_error(
                    "host_city",
                    ValidationError(
                        _("The host's city must be in the host country."), code="invalid"
                    ),
                )
                continue
            setattr(self, f"{side}_city_obj", city)
        if (
            bool(self.visitor_city_obj) != bool(self.host_city_obj)
            and data.get("distance_km") is None
        ):
            missing = "host" if self.visitor_city_obj else "visitor"
            if not any(f.startswith(missing) for f in self.errors):
                self.add_error(
                    f"{missing}_city_name"
                    if self.data.get(f"{missing}_city_name") is not None
                    else f"{missing}_city",
                    ValidationError(
                        _("Pick the other organisation's city too, or give the distance."),
                        code="required",
                    ),
                )

    def distance(self) -> Decimal | None:
        """The distance in km: as typed, else between the two cities (great circle), to the
        metre below so that 199.9996 km stays under 200 km (R-PAY-2)."""
        typed = self.cleaned_data.get("distance_km")
        if typed is not None:
            return typed
        a, b = self.visitor_city_obj, self.host_city_obj
        if a is None or b is None:
            return None
        km = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
        return Decimal(str(km)).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
