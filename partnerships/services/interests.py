"""Expressions of interest (R-PART-2): submit, accept, decline, withdraw."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send
from organisations.choices import ActivityType, ParticipantRole, ProfileStatus
from organisations.models import IndustrialEcosystem, Organisation
from organisations.selectors import organisation_eligibility, participating_country_codes

from .. import permissions
from ..models import (
    ACTIVE_INTEREST_STATUSES,
    ACTIVE_MATCH_STATUSES,
    ExpressionOfInterest,
    InterestStatus,
    Match,
    MatchStatus,
    Partnership,
)
from ..selectors import partnership_is_open
from ._common import decide, notify_users, representatives, role_label, staff_users, today_or_now
from .match_tokens import interest_tokens_refresh

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- expressions of interest (R-PART-2) ----------------------------------------------------------


def interest_submit(
    *,
    actor: User,
    organisation: Organisation,
    partnership: Partnership,
    role: str,
    objectives: str,
    activity_types: Iterable[str] = (),
    preferred_countries: Iterable[str] = (),
    ecosystems: Iterable[IndustrialEcosystem] = (),
    period_from: date | None = None,
    period_until: date | None = None,
    can_host_several: bool = False,
    today: date | None = None,
) -> ExpressionOfInterest:
    """R-PART-2: ``organisation`` asks ``partnership`` to take part as ``role``.

    Refused unless the actor actively represents the organisation (PermissionDenied), the
    profile is validated (R-ELIG-5), the eligibility engine allows the role today (R-ELIG-2 …
    R-ELIG-11), the partnership is active, and the organisation has no other active
    (submitted or accepted) interest for the same role with the same partnership.
    """
    today = today_or_now(today)
    if not permissions.represents(actor, organisation):
        raise PermissionDenied(_("You do not represent this organisation."))
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose visitor or host.")})
    objectives = (objectives or "").strip()
    if not objectives:
        raise ValidationError({"objectives": _("Describe the objectives of your exchange.")})
    activity_types = sorted(set(activity_types))
    unknown = [a for a in activity_types if a not in ActivityType.values]
    if unknown:
        raise ValidationError({"activity_types": _("Unknown activity type: %s.") % unknown[0]})
    preferred_countries = sorted(set(preferred_countries))
    participating = participating_country_codes(today=today)
    outside = [c for c in preferred_countries if c not in participating]
    if outside:
        raise ValidationError(
            {
                "preferred_countries": _("%s is not a COSME participating country (R-ELIG-8).")
                % outside[0]
            }
        )
    if period_from and period_from < today:
        raise ValidationError({"period_from": _("The period cannot start in the past.")})
    if period_from and period_until and period_until < period_from:
        raise ValidationError({"period_until": _("The period must end after it starts.")})
    if not partnership_is_open(partnership, today=today):
        raise ValidationError(
            _("%(p)s does not accept expressions of interest at the moment.")
            % {"p": partnership.acronym}
        )

    with transaction.atomic():
        # Lock the organisation: two submissions racing for the same role and partnership
        # queue here, and the second one sees the first below.
        org = Organisation.objects.select_for_update(of=("self",), no_key=True).get(
            pk=organisation.pk
        )
        if org.status != ProfileStatus.VALIDATED:
            raise ValidationError(
                _(
                    "%(org)s's profile must be validated by a partnership before it can express "
                    "interest (R-ELIG-5)."
                )
                % {"org": org.legal_name}
            )
        verdict = organisation_eligibility(org, today=today, participating=participating)
        role_verdict = verdict.for_role(role)
        if not role_verdict.allowed:
            raise ValidationError(
                {
                    "role": _("%(org)s may not take part as %(role)s: %(why)s")
                    % {
                        "org": org.legal_name,
                        "role": role_label(role),
                        "why": " ".join(f"{r.text} ({r.rule})" for r in role_verdict.failures),
                    }
                }
            )
        duplicate = _duplicate_interest_message(org, partnership, role)
        if duplicate:
            raise ValidationError({"role": duplicate})
        try:
            # A savepoint, so the outer transaction survives the constraint firing.
            with transaction.atomic():
                interest = ExpressionOfInterest.objects.create(
                    organisation=org,
                    partnership=partnership,
                    role=role,
                    objectives=objectives,
                    activity_types=activity_types,
                    # django-countries' multiple field takes a list; its stubs do not say so.
                    preferred_countries=preferred_countries,  # type: ignore[misc]
                    period_from=period_from,
                    period_until=period_until,
                    can_host_several=bool(can_host_several) and role == ParticipantRole.HOST,
                    submitted_by=actor,
                )
        except IntegrityError as exc:  # the one-active-interest constraint, as a last guard
            raise ValidationError(
                {"role": _duplicate_interest_message(org, partnership, role) or str(exc)}
            ) from exc
        interest.ecosystems.set(list(ecosystems))
        record(
            actor=actor,
            action="partnerships.interest.submitted",
            subject=interest,
            data={
                "organisation": org.pk,
                "partnership": partnership.pk,
                "role": role,
                "activity_types": activity_types,
                "preferred_countries": preferred_countries,
            },
        )
        context = {
            "interest": interest,
            "organisation": org,
            "partnership": partnership,
            "path": reverse("partnerships:interest_detail", kwargs={"pk": interest.pk}),
        }
        key = f"partnerships.interest.submitted:{interest.pk}"
        staff = staff_users([partnership.pk])
        if partnership.contact_email.lower() not in {u.email.lower() for u in staff}:
            notification_send(
                key=f"{key}:contact",
                kind="partnerships.interest.submitted",
                to_email=partnership.contact_email,
                template="partnerships/email/interest_submitted",
                context=context,
                about=interest,
            )
        notify_users(
            staff,
            kind="partnerships.interest.submitted",
            template="partnerships/email/interest_submitted",
            context=context,
            about=interest,
        )
    return interest


def _duplicate_interest_message(org: Organisation, partnership: Partnership, role: str) -> str:
    existing = (
        ExpressionOfInterest.objects.filter(
            organisation=org,
            partnership=partnership,
            role=role,
            status__in=ACTIVE_INTEREST_STATUSES,
        )
        .order_by("-created_at")
        .first()
    )
    if existing is None:
        return ""
    return _(
        "%(org)s already has an expression of interest as %(role)s with %(p)s (%(status)s on "
        "%(day)s). Withdraw it first if you want to send a new one."
    ) % {
        "org": org.legal_name,
        "role": role_label(role),
        "p": partnership.acronym,
        "status": existing.get_status_display().lower(),
        "day": date_format(timezone.localdate(existing.created_at), "j M Y"),
    }


def lock_interest(interest: ExpressionOfInterest) -> ExpressionOfInterest:
    return (
        ExpressionOfInterest.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organisation", "partnership")
        .get(pk=interest.pk)
    )


def _already_decided(interest: ExpressionOfInterest) -> ValidationError:
    return ValidationError(
        _("This expression of interest is already %(status)s.")
        % {"status": interest.get_status_display().lower()}
    )


def _notify_interest_decided(interest: ExpressionOfInterest) -> None:
    notify_users(
        representatives([interest.organisation_id]),
        kind=f"partnerships.interest.{interest.status}",
        template="partnerships/email/interest_decided",
        context={
            "interest": interest,
            "organisation": interest.organisation,
            "partnership": interest.partnership,
            "path": reverse("partnerships:interest_detail", kwargs={"pk": interest.pk}),
        },
        about=interest,
    )


def interest_accept(
    *, actor: User, interest: ExpressionOfInterest, note: str = "", today: date | None = None
) -> ExpressionOfInterest:
    """R-PART-2: the partnership's staff accept a submitted interest.

    Only staff of *that* partnership (any staff flag). The organisation must still be eligible
    for the role today (R-ELIG-2 … R-ELIG-11): staff cannot accept what the engine refuses.
    """
    today = today_or_now(today)
    if not permissions.can_decide_interest(actor, interest):
        raise PermissionDenied(
            _("Only the staff of %(p)s may decide on this expression of interest.")
            % {"p": interest.partnership.acronym}
        )
    with transaction.atomic():
        interest = lock_interest(interest)
        # A concurrent request may have decided it (or the applicant withdrawn it) meanwhile.
        if interest.status != InterestStatus.SUBMITTED:
            raise _already_decided(interest)
        verdict = organisation_eligibility(interest.organisation, today=today).for_role(
            interest.role
        )
        if not verdict.allowed:
            raise ValidationError(
                _("%(org)s may not take part as %(role)s today: %(why)s")
                % {
                    "org": interest.organisation.legal_name,
                    "role": role_label(interest.role),
                    "why": " ".join(f"{r.text} ({r.rule})" for r in verdict.failures),
                }
            )
        note = (note or "").strip()
        decide(
            interest,
            actor=actor,
            status=InterestStatus.ACCEPTED,
            reason=note,
            data={"note": note},
        )
        interest_tokens_refresh([interest.organisation_id])  # issue 12: matching pre-ranking
        _notify_interest_decided(interest)
    return interest


def interest_decline(
    *, actor: User, interest: ExpressionOfInterest, reason: str
) -> ExpressionOfInterest:
    """R-PART-2: the partnership's staff decline a submitted interest, always with a reason."""
    if not permissions.can_decide_interest(actor, interest):
        raise PermissionDenied(
            _("Only the staff of %(p)s may decide on this expression of interest.")
            % {"p": interest.partnership.acronym}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the applicant a reason: it is sent to them with the decision.")}
        )
    with transaction.atomic():
        interest = lock_interest(interest)
        # A concurrent request may have decided it (or the applicant withdrawn it) meanwhile.
        if interest.status != InterestStatus.SUBMITTED:
            raise _already_decided(interest)
        decide(interest, actor=actor, status=InterestStatus.DECLINED, reason=reason)
        _notify_interest_decided(interest)
    return interest


def interest_withdraw(*, actor: User, interest: ExpressionOfInterest) -> ExpressionOfInterest:
    """The applicant withdraws a submitted or accepted interest.

    Refused while a proposed or accepted match relies on it: withdraw or decline those first
    (a match's VOP/HOP comes from its interests).
    """
    if not permissions.represents(actor, interest.organisation_id):
        raise PermissionDenied(_("You do not represent this organisation."))
    with transaction.atomic():
        interest = lock_interest(interest)
        # A concurrent request may have changed it meanwhile.
        if interest.status not in ACTIVE_INTEREST_STATUSES:
            raise _already_decided(interest)
        relying = list(
            Match.objects.filter(
                Q(visitor_interest=interest) | Q(host_interest=interest),
                status__in=ACTIVE_MATCH_STATUSES,
            ).values_list("status", flat=True)
        )
        if MatchStatus.ACCEPTED in relying:
            # A confirmed match cannot be undone here: its exchange is the partnerships' work.
            raise ValidationError(
                _(
                    "A confirmed match relies on this expression of interest: it cannot be "
                    "withdrawn. Contact %(p)s if your plans have changed."
                )
                % {"p": interest.partnership.acronym}
            )
        if relying:
            raise ValidationError(
                _(
                    "%(n)s open match proposal(s) rely on this expression of interest: withdraw "
                    "or decline them first."
                )
                % {"n": len(relying)}
            )
        previous = interest.status
        interest.status = InterestStatus.WITHDRAWN
        interest.save(update_fields=["status"])
        if previous == InterestStatus.ACCEPTED:
            interest_tokens_refresh([interest.organisation_id])  # issue 12: matching pre-ranking
        record(
            actor=actor,
            action="partnerships.interest.withdrawn",
            subject=interest,
            data={"previous_status": previous},
        )
    return interest
