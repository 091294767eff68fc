"""A validated profile's change request: contact details change at once, what matters for
eligibility goes back to the partnership for validation (R-ELIG-5).

Kept simple on purpose: no pending copy of the profile. The new values are stored at once;
when one of them matters for eligibility (R-ELIG-1 … R-ELIG-7) or for the lump sum (the city
and its coordinates), the profile returns to "submitted" and its partnership's staff validate
it again — until then it cannot enter a new exchange. The form warns about this beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send_many

from .choices import ProfileStatus
from .models import Organisation
from .permissions import can_request_change
from .selectors import partnership_validators
from .services import (
    _PROFILE_FIELDS,
    ProfileData,
    _check_profile,
    _match_tokens,
    _set_memberships,
    cluster_member_facts_refresh,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

#: What a validated profile changes at once: how to reach it and what it does.
CHANGED_AT_ONCE = (
    "address",
    "postcode",
    "website",
    "eccp_profile_url",
    "eccp_profile_id",
    "description",
    "keywords",
)
#: What goes back to the partnership (R-ELIG-5): who the organisation is (R-ELIG-1), where it
#: is (R-ELIG-7, and the lump sum's distance), who validates it; the memberships (R-ELIG-4)
#: are re-validated too. Ecosystems and sectors only guide matching: they change at once.
REVALIDATED = tuple(name for name in _PROFILE_FIELDS if name not in CHANGED_AT_ONCE)


@dataclass(frozen=True)
class ChangeOutcome:
    organisation: Organisation
    changed: list[str]
    revalidated: list[str]  # non-empty: the profile is back with its partnership

    @property
    def needs_validation(self) -> bool:
        return bool(self.revalidated)


def organisation_request_change(
    *, actor: User, organisation: Organisation, profile: ProfileData, today: date | None = None
) -> ChangeOutcome:
    """Change a validated profile (R-ELIG-5): contact details at once; a change to what
    matters for eligibility sends the profile back to "submitted" for re-validation, with the
    validators told and every change audited."""
    today = today or timezone.localdate()
    values = _check_profile(profile, today=today, organisation=organisation)
    if values["validating_partnership"] is None:
        raise ValidationError(
            {"validating_partnership": _("A validated profile keeps a validating partnership.")}
        )
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        # Re-check under the lock: a concurrent change request may have sent it back already.
        allowed = can_request_change(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        if org.status != ProfileStatus.VALIDATED:
            raise ValidationError(
                _("This profile is %(status)s: a change is requested only once it is validated.")
                % {"status": org.get_status_display()}
            )
        changed = [name for name in _PROFILE_FIELDS if getattr(org, name) != values[name]]
        for name in changed:
            setattr(org, name, values[name])
        org.sectors.set(profile.sectors)
        org.ecosystems.set(profile.ecosystems)
        memberships = _set_memberships(org, profile.clusters)
        revalidated = [name for name in changed if name in REVALIDATED]
        if memberships["added"] or memberships["removed"]:
            revalidated.append("clusters")
        org.match_tokens = _match_tokens(values, profile)
        update_fields = [*changed, "updated_at", "match_tokens"]
        if revalidated:
            org.status = ProfileStatus.SUBMITTED
            org.status_reason = ""
            org.submitted_at = timezone.now()
            org.decided_at = None
            org.decided_by = None
            update_fields += ["status", "status_reason", "submitted_at", "decided_at", "decided_by"]
        org.save(update_fields=update_fields)
        if revalidated:
            # R-ELIG-4: a cluster organisation sent back for re-validation (or no longer a
            # cluster) stops counting for its members until it is validated again.
            cluster_member_facts_refresh(cluster_ids=[org.pk])
        record(
            actor=actor,
            action="organisations.organisation.change_requested"
            if revalidated
            else "organisations.organisation.updated",
            subject=org,
            data={"changed": changed, "revalidated": revalidated, "clusters": memberships},
        )
        if revalidated:
            notification_send_many(
                recipients=partnership_validators(partnership_id=org.validating_partnership_id),
                kind="organisations.organisation.submitted",
                about=org,
                occasion=org.submitted_at.isoformat(),
                template="organisations/email/profile_submitted",
                context={"organisation": org, "submitted_by": actor, "revalidated": revalidated},
            )
    return ChangeOutcome(org, changed, revalidated)
