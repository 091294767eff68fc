"""Writes about the people behind a profile: signatory data, requests to join, decisions.

Same discipline as ``services.py``: keyword-only, one transaction, lock, re-check, audit,
e-mails through ``notification_send``.
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
from cxc_portal.notifications.services import notification_send, notification_send_many

from .models import Organisation, Representative, RepresentativeStatus
from .permissions import can_decide_join_request, can_join_organisation, forget_cached_permissions
from .selectors import join_request_audience, participating_country_codes

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

#: Nobody signing for an organisation was born before this (catches typing slips).
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class SignatoryData:
    """A representative's own data (R-ELIG-9, R-ELIG-10)."""

    role_title: str
    nationality: str
    date_of_birth: date | None = None
    declares_adult: bool = False
    residence_permit_since: date | None = None

    def as_fields(self) -> dict:
        return {
            "role_title": self.role_title.strip(),
            "nationality": self.nationality,
            "date_of_birth": self.date_of_birth,
            "declares_adult": self.declares_adult and self.date_of_birth is None,
            "residence_permit_since": self.residence_permit_since,
        }


def check_signatory(data: SignatoryData, *, today: date) -> None:
    """R-ELIG-9, R-ELIG-10 inputs: a date of birth or an age declaration; for a national of a
    country outside COSME, the date since which they live in a participating country with a permit.

    An under-age or recently arrived representative is *not* refused here: the eligibility
    verdict explains what it means for visiting and hosting.
    """
    errors: dict[str, str] = {}
    if not data.role_title.strip():
        errors["role_title"] = _("Say what your role in the organisation is.")
    if data.date_of_birth is None and not data.declares_adult:
        errors["date_of_birth"] = _(
            "Give your date of birth, or declare that you are at least 18 years old (R-ELIG-10)."
        )
    elif data.date_of_birth is not None and not (
        EARLIEST_BIRTH_DATE <= data.date_of_birth <= today
    ):
        errors["date_of_birth"] = _("This date of birth is not possible.")
    if not data.nationality:
        errors["nationality"] = _("Give your nationality.")
    elif (
        data.nationality not in participating_country_codes(today=today)
        and data.residence_permit_since is None
    ):
        errors["residence_permit_since"] = _(
            "As a national of a country outside COSME, give the date since which you have "
            "lived in a participating country with a residence permit (R-ELIG-9)."
        )
    if data.residence_permit_since is not None and data.residence_permit_since > today:
        errors["residence_permit_since"] = _("This date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def representative_update(
    *,
    actor: User,
    representative: Representative,
    signatory: SignatoryData,
    today: date | None = None,
) -> Representative:
    """A representative changes their own signatory data."""
    today = today or timezone.localdate()
    check_signatory(signatory, today=today)
    with transaction.atomic():
        rep = Representative.objects.select_for_update().get(pk=representative.pk)
        if rep.user_id != actor.pk or rep.status != RepresentativeStatus.ACTIVE:
            raise PermissionDenied(_("Only active representatives change their own details."))
        fields = signatory.as_fields()
        changed = [name for name, value in fields.items() if getattr(rep, name) != value]
        for name in changed:
            setattr(rep, name, fields[name])
        rep.save(update_fields=changed)
        record(
            actor=actor,
            action="organisations.representative.updated",
            subject=rep.organisation,
            data={"representative": rep.pk, "changed": changed},
        )
    return rep


def representative_request_join(
    *, actor: User, organisation: Organisation, signatory: SignatoryData, today: date | None = None
) -> Representative:
    """Ask to represent an existing (submitted or validated) profile; its active
    representatives answer, or where it has none its partnership's staff (never the requester:
    ``can_decide_join_request``)."""
    today = today or timezone.localdate()
    check_signatory(signatory, today=today)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        allowed = can_join_organisation(actor, org)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        rep = (
            Representative.objects.select_for_update().filter(user=actor, organisation=org).first()
        )
        if rep is not None and rep.status == RepresentativeStatus.ACTIVE:
            raise ValidationError(_("You already represent this organisation."))
        if rep is not None and rep.status == RepresentativeStatus.PENDING:
            raise ValidationError(_("You have already asked to join this organisation."))
        if rep is None:
            rep = Representative(user=actor, organisation=org)
        # A declined request may be made again: the same row goes back to pending.
        for name, value in signatory.as_fields().items():
            setattr(rep, name, value)
        rep.status = RepresentativeStatus.PENDING
        rep.approved_by = None
        rep.save()
        record(
            actor=actor,
            action="organisations.representative.join_requested",
            subject=org,
            data={"representative": rep.pk},
        )
        notification_send_many(
            recipients=join_request_audience(organisation=org, requester=actor),
            kind="organisations.representative.join_requested",
            about=org,
            # One request may be made again after a refusal: each is its own event.
            occasion=f"{rep.pk}:{timezone.now().isoformat()}",
            template="organisations/email/join_requested",
            context={"organisation": org, "requester": actor, "representative": rep},
        )
    return rep


def _answer_join(*, actor: User, representative: Representative, approve: bool) -> Representative:
    """Nobody decides their own request; staff decide only for an organisation without active
    representatives (``can_decide_join_request``, checked under the lock)."""
    with transaction.atomic():
        rep = (
            Representative.objects.select_for_update()
            .select_related("organisation", "user")
            .get(pk=representative.pk)
        )
        allowed = can_decide_join_request(actor, rep)
        if not allowed:
            raise PermissionDenied(allowed.reason)
        # Another representative may have answered first.
        if rep.status != RepresentativeStatus.PENDING:
            raise ValidationError(_("This request has already been answered."))
        rep.status = RepresentativeStatus.ACTIVE if approve else RepresentativeStatus.DECLINED
        rep.approved_by = actor if approve else None
        rep.save(update_fields=["status", "approved_by"])
        verb = "join_approved" if approve else "join_declined"
        record(
            actor=actor,
            action=f"organisations.representative.{verb}",
            subject=rep.organisation,
            data={"representative": rep.pk, "user": rep.user_id},
        )
        notification_send(
            key=f"organisations.{verb}:{rep.pk}:{timezone.now().isoformat()}",
            kind=f"organisations.representative.{verb}",
            to_email=rep.user.email,
            recipient=rep.user,
            template=f"organisations/email/{verb}",
            context={"organisation": rep.organisation, "decided_by": actor},
            about=rep.organisation,
        )
    forget_cached_permissions(rep.user)
    return rep


def representative_approve(*, actor: User, representative: Representative) -> Representative:
    """Accept a request to join: the requester becomes an active representative."""
    return _answer_join(actor=actor, representative=representative, approve=True)


def representative_decline(*, actor: User, representative: Representative) -> Representative:
    """Decline a request to join (the requester may ask again later)."""
    return _answer_join(actor=actor, representative=representative, approve=False)
