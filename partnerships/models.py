"""Partnerships, their staff, expressions of interest and matches (R-PART-*, R-MATCH-*)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cxc_portal.core.periods import DatedPeriod, period_ordered_constraint
from organisations.choices import ParticipantRole
from organisations.models import IndustrialEcosystem, Organisation


class Partnership(DatedPeriod):
    """A European Cluster Partnership | Excellence (R-PART-1), active from ``valid_from`` until
    ``valid_until`` included (a :class:`DatedPeriod`: "active today" is ``valid_on(today)``)."""

    name = models.CharField(max_length=255, unique=True)
    acronym = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, default="")
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, related_name="partnerships"
    )
    countries = CountryField(multiple=True, blank=True)
    contact_email = models.EmailField()
    website = models.URLField(blank=True, default="")
    members = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partnerships",
        help_text=_("The cluster organisations forming the partnership."),
    )
    # The partnership's own account, the debtor of its SEPA credit transfers (R-PAY-4).
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, default="")
    bic = models.CharField(_("BIC"), max_length=11, blank=True, default="")

    class Meta:
        ordering = ["acronym"]
        constraints = [period_ordered_constraint("partnership_period_ordered")]

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


class PartnershipStaff(models.Model):
    """A user working for a partnership, with what they may do for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_staff"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="staff")
    can_validate_profiles = models.BooleanField(default=True)
    can_approve_exchanges = models.BooleanField(default=True)
    can_pay = models.BooleanField(default=False)
    # R-DOC-2, R-DOC-3: signs the CTQ (HOP, VOP) and the FA (VOP) for the partnership.
    can_sign = models.BooleanField(_("may sign documents for the partnership"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("partnership staff")
        constraints = [models.UniqueConstraint(fields=["user", "partnership"], name="staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.partnership.acronym}"


class InterestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_INTEREST_STATUSES = (InterestStatus.SUBMITTED, InterestStatus.ACCEPTED)


class ExpressionOfInterest(models.Model):
    """R-PART-2: an organisation asks a partnership to take part as visitor or host."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interests"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="interests")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    objectives = models.TextField()
    activity_types = models.JSONField(
        default=list, blank=True, help_text=_("Codes of organisations.choices.ActivityType")
    )
    preferred_countries = CountryField(multiple=True, blank=True)
    ecosystems = models.ManyToManyField(IndustrialEcosystem, blank=True, related_name="+")
    period_from = models.DateField(null=True, blank=True)
    period_until = models.DateField(null=True, blank=True)
    can_host_several = models.BooleanField(_("can host several visitors at once"), default=False)
    status = models.CharField(
        max_length=12,
        choices=InterestStatus.choices,
        default=InterestStatus.SUBMITTED,
        db_index=True,
    )
    decision_reason = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("expressions of interest")
        indexes = [
            # The work queue (issue 13): a partnership's interests to decide, oldest first.
            models.Index(fields=["partnership", "status", "created_at"], name="interest_queue"),
            # The Support Office's EASME requests (R-ELIG-6): organisations asking to host.
            models.Index(
                fields=["organisation"],
                condition=Q(role=ParticipantRole.HOST, status__in=ACTIVE_INTEREST_STATUSES),
                name="interest_active_host",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partnership", "role"],
                condition=Q(status__in=ACTIVE_INTEREST_STATUSES),
                name="one_active_interest_per_role_and_partnership",
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True)
                | Q(period_until__isnull=True)
                | Q(period_until__gte=models.F("period_from")),
                name="interest_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} as {self.get_role_display()} with {self.partnership.acronym}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


class Match(models.Model):
    """A proposed pairing of a visitor and a host (R-MATCH-1, R-MATCH-2).

    Confirmed when the side that did not propose accepts it. Records what an exchange draft
    needs: both organisations, the VOP (partnership of the visitor's accepted interest) and the
    HOP (partnership of the host's accepted interest, else the host's validating partnership),
    and the affinity score with its parts as it was when proposed.
    """

    visitor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    visitor_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.PROTECT, related_name="visitor_matches"
    )
    host_interest = models.ForeignKey(
        ExpressionOfInterest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="host_matches",
    )
    vop = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    hop = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    score_parts = models.JSONField(default=dict, blank=True)
    proposed_by_role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED, db_index=True
    )
    decision_reason = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: R-EXC-6: an exchange has been encoded from this match. Kept by the exchanges room's
    #: ``exchange_create`` (in its transaction, the match locked); exchanges are never deleted
    #: and a cancelled one keeps its match, so it never goes back to False. It spares the staff
    #: work queue an anti-join over every exchange (issue 12): the queue reads the partial
    #: indexes below, which hold only accepted matches still to encode.
    encoded = models.BooleanField(_("exchange encoded"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("matches")
        indexes = [
            # The staff work queue (R-EXC-6): a partnership's (VOP or HOP) accepted matches
            # with no exchange yet, oldest decision first.
            models.Index(
                fields=["vop", "decided_at", "id"],
                condition=Q(status=MatchStatus.ACCEPTED, encoded=False),
                name="match_to_encode_vop",
            ),
            models.Index(
                fields=["hop", "decided_at", "id"],
                condition=Q(status=MatchStatus.ACCEPTED, encoded=False),
                name="match_to_encode_hop",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["visitor", "host"],
                condition=Q(status__in=ACTIVE_MATCH_STATUSES),
                name="one_active_match_per_pair",
            ),
            models.CheckConstraint(condition=~Q(visitor=models.F("host")), name="match_not_self"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="match_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} → {self.host} ({self.score})"
