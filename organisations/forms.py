"""Input shapes of the organisations pages. Rules live in the services; forms only parse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cxc_portal.core.dates import (
    BIRTH_DATES,
    EASME_DATES,
    RESIDENCE_PERMIT_DATES,
    date_within,
)
from cxc_portal.core.search import SearchField

from .choices import OrganisationType
from .eligibility import OrganisationFacts, SignatoryFacts
from .models import Organisation, Representative
from .selectors import cluster_choice_queryset, organisation_names, partnership_choice_queryset
from .services import ProfileData
from .services_representatives import SignatoryData

#: The largest id the databases store (a signed 64-bit integer, SQLite and PostgreSQL alike).
MAX_PK = 2**63 - 1


def parse_pk(value) -> int | None:
    """``value`` as a database id, or ``None`` when it cannot be one (``"abc"``, ``"²"``, an
    integer too large for the database: SQLite raises on those instead of matching nothing)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_PK else None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses, as an invalid value, an id no database can
    hold — instead of a 500 when the ``IN`` query overflows."""

    def _check_values(self, value):
        for pk in value:
            if parse_pk(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def _model_field(model, name: str, **kwargs):
    field = model._meta.get_field(name)
    if field.many_to_many:
        kwargs.setdefault("form_class", IdsChoiceField)
    return field.formfield(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ClusterChoiceField(IdsChoiceField):
    """R-ELIG-4: validated cluster organisations only; a refused pick is named in the error."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.legal_name} ({obj.country.code}, {obj.city_name})"

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            allowed = {str(pk) for pk in self.queryset.values_list("pk", flat=True)}
            bad = [str(v) for v in value if str(v) not in allowed]
            names = organisation_names([parse_pk(v) for v in bad if parse_pk(v)])
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ", ".join(names) or ", ".join(bad)},
            ) from exc


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.acronym} — {obj.name}"


class OrganisationForm(forms.Form):
    """The profile (R-ELIG-1, R-ELIG-7) with its cluster memberships (R-ELIG-4)."""

    legal_name = _model_field(Organisation, "legal_name")
    org_type = _model_field(Organisation, "org_type")
    scaleup_subtype = _model_field(Organisation, "scaleup_subtype", required=False)
    public_authority_level = _model_field(Organisation, "public_authority_level", required=False)
    size = _model_field(Organisation, "size")
    country = _model_field(
        Organisation,
        "country",
        help_text=_(
            "Where the organisation is registered; with several registered establishments, the "
            "one where you, its representative, are based. It must be a COSME participating "
            "country."
        ),
    )
    city_name = forms.CharField(
        label=_("City"),
        max_length=200,
        help_text=_("Type a few letters and pick the city from the list."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("organisations:city_search"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#city-suggestions",
                "hx-include": "[name=country]",
                "hx-sync": "this:replace",
                "data-city-input": "",
            }
        ),
    )
    # The id of the city picked in the list: only a hint (``city_resolve`` checks it against
    # the typed name), so an unusable value is ignored rather than refused out of sight.
    city = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-city-id": ""}))
    latitude = forms.DecimalField(
        label=_("Latitude (by hand)"),
        required=False,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        max_digits=8,
        decimal_places=5,
        help_text=_("Only if the city is not in the list: decimal degrees, e.g. 50.85045."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude (by hand)"),
        required=False,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        max_digits=8,
        decimal_places=5,
        help_text=_("Decimal degrees, east positive, e.g. 4.34878."),
    )
    address = _model_field(Organisation, "address")
    postcode = _model_field(Organisation, "postcode")
    website = _model_field(Organisation, "website", assume_scheme="https")
    eccp_profile_url = _model_field(Organisation, "eccp_profile_url", assume_scheme="https")
    eccp_profile_id = _model_field(Organisation, "eccp_profile_id")
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation does, and what it expects from an exchange."),
    )
    ecosystems = _model_field(
        Organisation,
        "ecosystems",
        required=True,
        widget=forms.CheckboxSelectMultiple,
        label=_("Industrial ecosystems"),
    )
    sectors = _model_field(
        Organisation, "sectors", widget=forms.CheckboxSelectMultiple, label=_("Sectors (NACE)")
    )
    keywords = forms.CharField(
        label=_("Technologies and keywords"),
        required=False,
        help_text=_("Separated by commas, e.g. additive manufacturing, robotics."),
    )
    clusters = ClusterChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        # A searchable picker (static/js/picker.js) over a plain multi-select: 78 cluster
        # organisations are too many for a list of checkboxes or a Ctrl/⌘ multi-select alone.
        widget=forms.SelectMultiple(
            attrs={
                "class": "cluster-choice",
                "size": 8,
                "data-picker": "",
                "data-picker-placeholder": _("Type a cluster's name, city or country"),
            }
        ),
        label=_("Member of these cluster organisations"),
        help_text=_(
            "Type a few letters of a name and pick it (without JavaScript: hold Ctrl or ⌘ to "
            "choose several). Only cluster organisations with a validated profile are listed: "
            "membership of a business network does not count (R-ELIG-4)."
        ),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a cluster organisation with a validated profile: only those "
                "count as cluster memberships (R-ELIG-4)."
            ),
            "invalid_pk_value": _("“%(pk)s” is not an organisation."),
        },
    )
    validating_partnership = PartnershipChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Partnership that will validate the profile"),
        help_text=_("Needed before submitting. Browse the partnerships to choose the best suited."),
    )

    def __init__(self, *args, today: date, organisation: Organisation | None = None, **kwargs):
        if organisation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(organisation)
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        clusters = cluster_choice_queryset()
        if organisation is not None:
            clusters = clusters.exclude(pk=organisation.pk)
        self.fields["clusters"].queryset = clusters
        self.fields["validating_partnership"].queryset = partnership_choice_queryset(today=today)

    @staticmethod
    def initial_from(org: Organisation) -> dict:
        manual = org.city is None or (org.latitude, org.longitude) != (
            org.city.latitude,
            org.city.longitude,
        )
        return {
            **{
                name: getattr(org, name)
                for name in (
                    "legal_name",
                    "org_type",
                    "scaleup_subtype",
                    "public_authority_level",
                    "size",
                    "city_name",
                    "address",
                    "postcode",
                    "website",
                    "eccp_profile_url",
                    "eccp_profile_id",
                    "description",
                )
            },
            "country": str(org.country.code or ""),
            "city": org.city_id,
            "latitude": org.latitude if manual else None,
            "longitude": org.longitude if manual else None,
            "keywords": ", ".join(org.keywords or []),
            "ecosystems": list(org.ecosystems.all()),
            "sectors": list(org.sectors.all()),
            "clusters": [m.cluster_id for m in org.memberships.all()],
            "validating_partnership": org.validating_partnership_id,
        }

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            missing = "latitude" if data.get("latitude") is None else "longitude"
            if missing not in self.errors:
                self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        return data

    def to_data(self) -> ProfileData:
        d = self.cleaned_data
        return ProfileData(
            legal_name=d["legal_name"],
            org_type=d["org_type"],
            scaleup_subtype=d.get("scaleup_subtype") or "",
            public_authority_level=d.get("public_authority_level") or "",
            size=d["size"],
            country=d["country"],
            city_name=d["city_name"],
            city_id=parse_pk(d.get("city") or ""),
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            address=d.get("address") or "",
            postcode=d.get("postcode") or "",
            website=d.get("website") or "",
            eccp_profile_url=d.get("eccp_profile_url") or "",
            eccp_profile_id=d.get("eccp_profile_id") or "",
            description=d["description"],
            keywords=[k for k in (d.get("keywords") or "").split(",") if k.strip()],
            sectors=list(d.get("sectors") or []),
            ecosystems=list(d.get("ecosystems") or []),
            clusters=list(d.get("clusters") or []),
            validating_partnership=d.get("validating_partnership"),
        )

    def preview_values(self) -> dict:
        """What the live verdict needs, from whatever parses in the current input."""
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        raw_clusters = self.data.getlist("clusters") if hasattr(self.data, "getlist") else []
        return {
            "org_type": d.get("org_type") or self.data.get("org_type", ""),
            "country": d.get("country") or self.data.get("country", ""),
            "size": d.get("size") or self.data.get("size", ""),
            "cluster_ids": [pk for pk in map(parse_pk, raw_clusters) if pk is not None],
        }


class SignatoryForm(forms.ModelForm):
    """A representative's own data (R-ELIG-9, R-ELIG-10)."""

    class Meta:
        model = Representative
        fields = [
            "role_title",
            "date_of_birth",
            "declares_adult",
            "nationality",
            "residence_permit_since",
        ]
        widgets = {"date_of_birth": DateInput, "residence_permit_since": DateInput}
        help_texts = {
            "date_of_birth": _(
                "Whoever signs for an organisation must be 18 or over (R-ELIG-10). You may "
                "instead tick the declaration below."
            ),
            "residence_permit_since": _(
                "Only for nationals of a country outside COSME: the date since which you have "
                "lived in a participating country with a residence permit (183 days are "
                "needed, R-ELIG-9)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].required = True
        self.fields["date_of_birth"].validators.append(date_within(BIRTH_DATES))
        self.fields["residence_permit_since"].validators.append(date_within(RESIDENCE_PERMIT_DATES))

    def _post_clean(self):
        # Rules are the service's: no model validation (and no change to the instance) here.
        pass

    def to_data(self) -> SignatoryData:
        d = self.cleaned_data
        return SignatoryData(
            role_title=d["role_title"],
            nationality=d["nationality"],
            date_of_birth=d.get("date_of_birth"),
            declares_adult=bool(d.get("declares_adult")),
            residence_permit_since=d.get("residence_permit_since"),
        )

    def preview_facts(self) -> SignatoryFacts | None:
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        if not d.get("nationality") and not d.get("date_of_birth"):
            return None
        return SignatoryFacts(
            date_of_birth=d.get("date_of_birth"),
            nationality=str(d.get("nationality") or ""),
            residence_permit_since=d.get("residence_permit_since"),
            declared_adult=bool(d.get("declares_adult")),
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the applicant, who may fix the profile and submit it again."),
        error_messages={"required": _("Say why the profile is rejected.")},
    )


class EasmeForm(forms.Form):
    """R-ELIG-6: EASME's pre-approval of a non-member SME as host."""

    reference = forms.CharField(label=_("EASME reference"), max_length=100)
    granted_on = forms.DateField(
        label=_("Granted on"), widget=DateInput, validators=[date_within(EASME_DATES)]
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(organisation: Organisation) -> dict | None:
        """The recorded pre-approval, all of it: updating it must not wipe its notes."""
        easme = getattr(organisation, "easme_pre_approval", None)
        if easme is None:
            return None
        return {"reference": easme.reference, "granted_on": easme.granted_on, "notes": easme.notes}


class JoinSearchForm(forms.Form):
    q = SearchField(
        label=_("Organisation name"),
        required=True,
        min_length=2,
        help_text=_("At least two letters of the organisation's legal name."),
    )


# --- Public eligibility checker -----------------------------------------------------------------


class EligibilityCheckForm(forms.Form):
    """R-ELIG-12: the public checker's questions; the answers become engine facts."""

    org_type = forms.ChoiceField(
        label=_("What kind of organisation is it?"),
        choices=[("", "---------"), *OrganisationType.choices],
    )
    country = forms.ChoiceField(
        label=_("Country of permanent residence"),
        choices=[("", "---------"), *countries],
        help_text=_("Where the organisation is registered (or where its representative is based)."),
    )
    cluster_member = forms.BooleanField(
        label=_(
            "It is a member of (for a public authority: active in) a cluster organisation with "
            "a validated ECCP profile"
        ),
        required=False,
    )
    business_network_member = forms.BooleanField(
        label=_("It is a member of a business network organisation"), required=False
    )
    easme_pre_approved = forms.BooleanField(
        label=_("For an SME: EASME has pre-approved it to host"), required=False
    )
    already_visited = forms.BooleanField(
        label=_("It has already visited in an exchange that was not cancelled"), required=False
    )
    representative_age = forms.IntegerField(
        label=_("Age of the person who will sign"),
        required=False,
        min_value=0,
        max_value=120,
    )
    nationality = forms.ChoiceField(
        label=_("Nationality of the person who will sign"),
        choices=[("", "---------"), *countries],
        required=False,
    )
    residence_since = forms.DateField(
        label=_("For a national of a country outside COSME: resident with a permit since"),
        required=False,
        widget=DateInput,
    )

    def clean(self):
        data = super().clean()
        age, nationality = data.get("representative_age"), data.get("nationality")
        if age is None and nationality and "representative_age" not in self.errors:
            self.add_error("representative_age", _("Give the age with the nationality."))
        if age is not None and not nationality:
            self.add_error("nationality", _("Give the nationality with the age."))
        return data

    def to_facts(self) -> OrganisationFacts:
        d = self.cleaned_data
        signatory = None
        if d.get("representative_age") is not None and d.get("nationality"):
            signatory = SignatoryFacts(
                date_of_birth=None,
                nationality=d["nationality"],
                residence_permit_since=d.get("residence_since"),
                age=d["representative_age"],
            )
        return OrganisationFacts(
            org_type=d["org_type"],
            country=d["country"],
            is_sme=d["org_type"] == OrganisationType.SME,
            profile_validated=None,
            validated_cluster_memberships=1 if d.get("cluster_member") else 0,
            other_memberships=1 if d.get("business_network_member") else 0,
            easme_pre_approved=bool(d.get("easme_pre_approved")),
            signatory=signatory,
            non_cancelled_visits=1 if d.get("already_visited") else 0,
        )
