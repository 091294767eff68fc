"""Every write of the organisations room: profiles, memberships, decisions, EASME.

Each service is keyword-only, runs in one transaction, locks the row it changes, re-checks the
state (a concurrent request may have won), saves the changed fields, records an audit event and
queues its e-mails (``notification_send_many`` delivers them after commit). Refusals raise
``ValidationError`` (a dict when the message belongs next to a form field) or
``PermissionDenied``. Join requests and representatives' own data: ``services_representatives``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send_many

from .choices import SME_SIZES, OrganisationSize, OrganisationType, ProfileStatus
from .match_tokens import profile_tokens
from .models import (
    ClusterMembership,
    EasmePreApproval,
    IndustrialEcosystem,
    Organisation,
    Representative,
    RepresentativeStatus,
    Sector,
)
from .permissions import (
    can_decide_organisation,
    can_edit_organisation,
    can_record_easme,
    can_submit_organisation,
    forget_cached_permissions,
)
from .selectors import (
    city_resolve,
    notification_recipients_for_decision,
    organisation_same_name_linked,
    participating_country_codes,
    partnership_choice_queryset,
    partnership_validators,
)
from .services_representatives import SignatoryData, check_signatory

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- Input shapes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    """What an applicant types for a profile (``forms.OrganisationForm.to_data``)."""

    legal_name: str
    org_type: str
    size: str
    country: str
    city_name: str
    scaleup_subtype: str = ""
    public_authority_level: str = ""
    city_id: int | None = None
    latitude: Decimal | None = None  # a manual override of the gazetteer's coordinates
    longitude: Decimal | None = None
    address: str = ""
    postcode: str = ""
    website: str = ""
    eccp_profile_url: str = ""
    eccp_profile_id: str = ""
    description: str = ""
    keywords: Sequence[str] = ()
    sectors: Sequence[Sector] = ()
    ecosystems: Sequence[IndustrialEcosystem] = ()
    clusters: Sequence[Organisation] = ()
    # A ``partnerships.Partnership`` (a room above: typed by what is read here, its ``pk``).
    validating_partnership: Model | None = None


_PROFILE_FIELDS = (
    "legal_name",
    "org_type",
    "scaleup_subtype",
    "public_authority_level",
    "size",
    "country",
    "city",
    "city_name",
    "latitude",
    "longitude",
    "address",
    "postcode",
    "website",
    "eccp_profile_url",
    "eccp_profile_id",
    "description",
    "keywords",
    "validating_partnership",
)


def _check_profile(
    data: ProfileData, *, today: date, organisation: Organisation | None = None
) -> dict:
    """The profile's rules, every failure next to its field. Returns the values to store."""
    errors: dict[str, str] = {}
    # R-ELIG-7 / R-ELIG-8: the country of permanent residence must take part in COSME today.
    if data.country not in participating_country_codes(today=today):
        errors["country"] = _(
            "This country is not a COSME participating country: only organisations based in "
            "one may take part (R-ELIG-7, R-ELIG-8)."
        )
    # R-ELIG-1: a scaling-up support organisation says which kind; a public authority its level.
    if data.org_type == OrganisationType.SCALEUP_SUPPORT and not data.scaleup_subtype:
        errors["scaleup_subtype"] = _("Say which kind of scaling-up support organisation.")
    if data.org_type == OrganisationType.PUBLIC_AUTHORITY and not data.public_authority_level:
        errors["public_authority_level"] = _("Say whether the authority is regional or a city.")
    if data.org_type == OrganisationType.SME and data.size not in SME_SIZES:
        errors["size"] = _("An SME has fewer than 250 staff: choose micro, small or medium.")
    if data.org_type == OrganisationType.LARGE_COMPANY and data.size != OrganisationSize.LARGE:
        errors["size"] = _("A large company has 250 staff or more.")
    # Coordinates: the gazetteer's, unless typed by hand (then any city name is accepted).
    manual = data.latitude is not None and data.longitude is not None
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude" if data.latitude is None else "longitude"] = _(
            "Give both the latitude and the longitude, or neither."
        )
    city = city_resolve(country=data.country, name=data.city_name, city_id=data.city_id)
    if city is None and not manual and "country" not in errors:
        errors["city_name"] = _(
            "“%(city)s” is not a known city of this country. Pick a city from the list, or "
            "give its latitude and longitude by hand."
        ) % {"city": data.city_name}
    # R-ELIG-4: memberships count only towards validated cluster organisations.
    bad = [
        c
        for c in data.clusters
        if c.org_type != OrganisationType.CLUSTER or c.status != ProfileStatus.VALIDATED
    ]
    if bad:
        errors["clusters"] = _(
            "%(names)s: not a cluster organisation with a validated profile. Only those count "
            "as cluster memberships (R-ELIG-4)."
        ) % {"names": ", ".join(c.legal_name for c in bad)}
    elif organisation is not None and any(c.pk == organisation.pk for c in data.clusters):
        errors["clusters"] = _("An organisation cannot be a member of itself.")
    partnership = data.validating_partnership
    if (
        partnership is not None
        and not partnership_choice_queryset(today=today).filter(pk=partnership.pk).exists()
    ):
        errors["validating_partnership"] = _("This partnership is not active any more.")
    if errors:
        raise ValidationError(errors)
    if manual:
        latitude, longitude = data.latitude, data.longitude
    else:
        assert city is not None  # no coordinates typed and no city found: refused above
        latitude, longitude = city.latitude, city.longitude
    return {
        "legal_name": data.legal_name.strip(),
        "org_type": data.org_type,
        "scaleup_subtype": data.scaleup_subtype
        if data.org_type == OrganisationType.SCALEUP_SUPPORT
        else "",
        "public_authority_level": data.public_authority_level
        if data.org_type == OrganisationType.PUBLIC_AUTHORITY
        else "",
        "size": data.size,
        "country": data.country,
        "city": city,
        "city_name": city.name if city is not None and not manual else data.city_name.strip(),
        "latitude": latitude,
        "longitude": longitude,
        "address": data.address.strip(),
        "postcode": data.postcode.strip(),
        "website": data.website,
        "eccp_profile_url": data.eccp_profile_url,
        "eccp_profile_id": data.eccp_profile_id.strip(),
        "description": data.description.strip(),
        "keywords": sorted({k.strip().lower() for k in data.keywords if k.strip()}),
        "validating_partnership": partnership,
    }


def _match_tokens(values: dict, profile: ProfileData) -> dict:
    """What the matching page's pre-ranking reads of this profile (issue 12, R-MATCH-1)."""
    return profile_tokens(
        keywords=values["keywords"],
        ecosystem_codes=[e.code for e in profile.ecosystems],
        sector_codes=[s.code for s in profile.sectors],
        country=values["country"],
    )


def cluster_member_facts_refresh(
    *, member_ids: Iterable[int] = (), cluster_ids: Iterable[int] = ()
) -> int:
    """R-ELIG-4: recompute ``Organisation.in_validated_cluster`` — a member of at least one
    cluster organisation whose profile is validated — for the given members and for every
    member of the given cluster organisations, in one set-based UPDATE. Called in the
    transaction of whatever changed the memberships (``_set_memberships``, the admin) or a
    cluster organisation's status or type (``_decide``, ``organisation_request_change``, the
    admin). Returns the number of rows recomputed."""
    members = list(member_ids)
    clusters = list(cluster_ids)
    if not members and not clusters:
        return 0
    scope = Q(pk__in=members)
    if clusters:
        scope |= Q(
            pk__in=ClusterMembership.objects.filter(cluster_id__in=clusters).values("member_id")
        )
    validated_membership = ClusterMembership.objects.filter(
        member=OuterRef("pk"),
        cluster__org_type=OrganisationType.CLUSTER,
        cluster__status=ProfileStatus.VALIDATED,
    )
    return Organisation.objects.filter(scope).update(
        in_validated_cluster=Exists(validated_membership)
    )


def organisation_facts_refresh(organisation: Organisation) -> None:
    """The facts kept on the row, recomputed from the row itself after a change made outside
    the profile services (the admin): the matching tokens (R-MATCH-1, issue 12) and "member of
    a validated cluster" (R-ELIG-4) — its own and, if it is a cluster organisation, its
    members'."""
    organisation.match_tokens = profile_tokens(
        keywords=organisation.keywords,
        ecosystem_codes=organisation.ecosystems.values_list("code", flat=True),
        sector_codes=organisation.sectors.values_list("code", flat=True),
        country=organisation.country,
    )
    Organisation.objects.filter(pk=organisation.pk).update(match_tokens=organisation.match_tokens)
    cluster_member_facts_refresh(member_ids=[organisation.pk], cluster_ids=[organisation.pk])


def _set_memberships(organisation: Organisation, clusters: Sequence[Organisation]) -> dict:
    wanted = {c.pk for c in clusters}
    current = set(organisation.memberships.values_list("cluster_id", flat=True))
    organisation.memberships.filter(cluster_id__in=current - wanted).delete()
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(member=organisation, cluster_id=pk) for pk in sorted(wanted - current)]
    )
    if wanted != current:
        cluster_member_facts_refresh(member_ids=[organisation.pk])
    return {"added": sorted(wanted - current), "removed": sorted(current - wanted)}


# --- Profiles ----------------------------------------------------------------------------------


def organisation_create(
    *, actor: User, profile: ProfileData, signatory: SignatoryData, today: date | None = None
) -> Organisation:
    """Create a draft profile; ``actor`` becomes its active representative (R-ELIG-9, R-ELIG-10
    data).

    Profile and signatory are checked together so that one submission shows every error.
    """
    today = today or timezone.localdate()
    errors: dict = {}
    values: dict = {}
    try:
        values = _check_profile(profile, today=today)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        check_signatory(signatory, today=today)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the creator: a double-clicked "Save" waits here for the first request, then
        # finds the profile it made instead of making a second one.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        existing = organisation_same_name_linked(
            user=actor, legal_name=values["legal_name"], country=values["country"]
        )
        if existing is not None:
            raise ValidationError(
                {
                    "legal_name": _(
                        "You already represent (or asked to join) “%(name)s” in this country: "
                        "open it from “My organisation” instead of creating it again."
                    )
                    % {"name": existing.legal_name}
                }
            )
        organisation = Organisation.objects.create(
            **values,
            status=ProfileStatus.DRAFT,
            created_by=actor,
            match_tokens=_match_tokens(values, profile),
            match_interest_tokens={},  # a new organisation has no accepted interest yet
        )
        organisation.sectors.set(profile.sectors)
        organisation.ecosystems.set(profile.ecosystems)
        _set_memberships(organisation, profile.clusters)
        Representative.objects.create(
            user=actor,
            organisation=organisation,
            status=RepresentativeStatus.ACTIVE,
            approved_by=actor,
            **signatory.as_fields(),
        )
        record(
            actor=actor,
            action="organisations.organisation.created",
            subject=organisation,
            data={
                "org_type": organisation.org_type,
                "country": profile.country,
                "clusters": [c.pk for c in profile.clusters],
            },
        )
    forget_cached_permissions(actor)
    return organisation


def organisation_update(
    *, actor: User, organisation: Organisation, profile: ProfileData, today: date | None = None
) -> Organisation:
    """Change a draft or rejected profile (the applicant's own; staff never edit it)."""
    today = today or timezone.localdate()
    values = _check_profile(profile, today=today, organisation=organisation)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        # Re-check under the lock: a concurrent submit may have frozen the profile meanwhile.
        allowed = can_edit_organisation(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        changed = [name for name in _PROFILE_FIELDS if getattr(org, name) != values[name]]
        for name in changed:
            setattr(org, name, values[name])
        org.match_tokens = _match_tokens(values, profile)
        org.save(update_fields=[*changed, "updated_at", "match_tokens"])
        org.sectors.set(profile.sectors)
        org.ecosystems.set(profile.ecosystems)
        memberships = _set_memberships(org, profile.clusters)
        record(
            actor=actor,
            action="organisations.organisation.updated",
            subject=org,
            data={"changed": changed, "clusters": memberships},
        )
    return org


def organisation_submit(
    *, actor: User, organisation: Organisation, today: date | None = None
) -> Organisation:
    """Send a draft (or a fixed rejected) profile to its partnership for validation (R-ELIG-5).

    Needs a validating partnership, coordinates, a participating country and an active
    representative with signatory data. Eligibility itself is the staff's decision.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        allowed = can_submit_organisation(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        # A concurrent request may have submitted it already.
        if not org.is_submittable:
            raise ValidationError(
                _("This profile is already %(status)s.") % {"status": org.get_status_display()}
            )
        missing = []
        if org.validating_partnership_id is None:
            missing.append(_("choose the partnership that will validate the profile"))
        elif (
            not partnership_choice_queryset(today=today)
            .filter(pk=org.validating_partnership_id)
            .exists()
        ):
            missing.append(_("choose a partnership that is active"))
        if org.latitude is None or org.longitude is None:
            missing.append(_("give the city with its coordinates"))
        if str(org.country.code) not in participating_country_codes(today=today):
            missing.append(_("be based in a COSME participating country (R-ELIG-7)"))
        if not org.description:
            missing.append(_("describe the organisation"))
        signatories = [
            r
            for r in org.representatives.filter(
                status=RepresentativeStatus.ACTIVE, is_signatory=True
            )
            if r.has_signatory_data
        ]
        if not signatories:
            missing.append(_("have a representative who gave their signatory details"))
        if missing:
            raise ValidationError(
                _("Before submitting, please: %(missing)s.") % {"missing": "; ".join(missing)}
            )
        previous = org.status
        org.status = ProfileStatus.SUBMITTED
        org.submitted_at = timezone.now()
        org.decided_at = None
        org.decided_by = None
        org.save(update_fields=["status", "submitted_at", "decided_at", "decided_by", "updated_at"])
        record(
            actor=actor,
            action="organisations.organisation.submitted",
            subject=org,
            data={"from": previous, "partnership": org.validating_partnership_id},
        )
        # Each submission is its own event: a resubmission tells the validators again.
        notification_send_many(
            recipients=partnership_validators(partnership_id=org.validating_partnership_id),
            kind="organisations.organisation.submitted",
            about=org,
            occasion=org.submitted_at.isoformat(),
            template="organisations/email/profile_submitted",
            context={"organisation": org, "submitted_by": actor},
        )
    return org


def _decide(*, actor: User, organisation: Organisation, status: str, reason: str) -> Organisation:
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        allowed = can_decide_organisation(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        # A colleague may have decided a moment ago: only a submitted profile is decided.
        if org.status != ProfileStatus.SUBMITTED:
            raise ValidationError(
                _("This profile is %(status)s, not waiting for a decision.")
                % {"status": org.get_status_display()}
            )
        org.status = status
        org.status_reason = reason
        org.decided_at = timezone.now()
        org.decided_by = actor
        org.save(
            update_fields=["status", "status_reason", "decided_at", "decided_by", "updated_at"]
        )
        if org.org_type == OrganisationType.CLUSTER:
            # R-ELIG-4: its members now count (or not) as members of a validated cluster.
            cluster_member_facts_refresh(cluster_ids=[org.pk])
        record(
            actor=actor,
            action=f"organisations.organisation.{status}",
            subject=org,
            data={"reason": reason} if reason else {},
        )
        template = (
            "organisations/email/profile_validated"
            if status == ProfileStatus.VALIDATED
            else "organisations/email/profile_rejected"
        )
        notification_send_many(
            recipients=notification_recipients_for_decision(org),
            kind=f"organisations.organisation.{status}",
            about=org,
            occasion=org.decided_at.isoformat(),
            template=template,
            context={"organisation": org, "reason": reason},
        )
    return org


def organisation_validate(*, actor: User, organisation: Organisation) -> Organisation:
    """R-ELIG-5: partnership staff validate a submitted profile; the applicant is told."""
    return _decide(
        actor=actor, organisation=organisation, status=ProfileStatus.VALIDATED, reason=""
    )


def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """Partnership staff reject a submitted profile with a reason; the applicant may fix it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the profile is rejected.")})
    return _decide(
        actor=actor, organisation=organisation, status=ProfileStatus.REJECTED, reason=reason
    )


# --- EASME -------------------------------------------------------------------------------------


def easme_pre_approval_record(
    *,
    actor: User,
    organisation: Organisation,
    reference: str,
    granted_on: date,
    notes: str = "",
    today: date | None = None,
) -> EasmePreApproval:
    """R-ELIG-6: the Support Office records EASME's pre-approval of a non-member SME as host."""
    today = today or timezone.localdate()
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give EASME's reference.")})
    if granted_on > today:
        raise ValidationError({"granted_on": _("The pre-approval cannot be dated in the future.")})
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        allowed = can_record_easme(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        approval, created = EasmePreApproval.objects.update_or_create(
            organisation=org,
            defaults={
                "reference": reference,
                "granted_on": granted_on,
                "notes": notes.strip(),
                "recorded_by": actor,
            },
        )
        record(
            actor=actor,
            action="organisations.easme_pre_approval.recorded",
            subject=org,
            data={"reference": reference, "granted_on": granted_on, "replaced": not created},
        )
    return approval
