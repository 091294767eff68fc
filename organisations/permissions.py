"""Who may do what with an organisation profile: predicates over (user, object).

Each predicate returns a ``Permission``: truthy when allowed, else falsy with the reason shown
on the 403 page. Lower rooms are read through reverse accessors only (``partnership_staff`` is
the partnerships room's link to a user), so this module imports nothing from the rooms above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cxc_portal.accounts.roles import forget_access, user_access

from .choices import OrganisationType, ProfileStatus
from .models import Organisation, Representative, RepresentativeStatus

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Permission(True)


def _deny(reason: str) -> Permission:
    return Permission(False, reason)


def is_support_office(user: User) -> bool:
    """The Support Office and superusers see the whole programme."""
    return user_access(user).support_office


def staff_partnership_ids(user: User, *, validators_only: bool = False) -> frozenset[int]:
    """Ids of the partnerships ``user`` works for (only those where they validate profiles)."""
    access = user_access(user)
    return access.validator_partnerships if validators_only else access.staff_partnerships


def represented_organisation_ids(user: User) -> frozenset[int]:
    """Ids of the organisations ``user`` actively represents."""
    return user_access(user).organisations


def is_representative(user: User, organisation: Organisation) -> bool:
    return organisation.pk in represented_organisation_ids(user)


def is_partnership_staff_of(
    user: User, organisation: Organisation, *, validators_only=False
) -> bool:
    return (
        organisation.validating_partnership_id is not None
        and organisation.validating_partnership_id
        in staff_partnership_ids(user, validators_only=validators_only)
    )


def can_view_organisation(user: User, organisation: Organisation) -> bool:
    """Whether ``user`` may open the profile page: the predicate of
    ``selectors.organisation_visible_queryset``, for one row already loaded (no query), so a
    staff list links an organisation's name only where the link leads somewhere."""
    return (
        is_support_office(user)
        or is_representative(user, organisation)
        or is_partnership_staff_of(user, organisation)
    )


def can_edit_organisation(user: User, organisation: Organisation) -> Permission:
    """Applicants edit their own profile while it is a draft or rejected; staff never do."""
    if not is_representative(user, organisation):
        return _deny(_("Only the organisation's representatives may change its profile."))
    if not organisation.is_editable:
        return _deny(_("A profile can be changed only while it is a draft or after a rejection."))
    return ALLOWED


def can_request_change(user: User, organisation: Organisation) -> Permission:
    """A validated profile is changed through "request a change" by its representatives
    (``services_changes.organisation_request_change``); staff never change it."""
    if not is_representative(user, organisation):
        return _deny(_("Only the organisation's representatives may change its profile."))
    if not organisation.is_validated:
        return _deny(_("Only a validated profile is changed through a change request."))
    return ALLOWED


def can_submit_organisation(user: User, organisation: Organisation) -> Permission:
    if not is_representative(user, organisation):
        return _deny(_("Only the organisation's representatives may submit its profile."))
    return ALLOWED


def can_decide_organisation(user: User, organisation: Organisation) -> Permission:
    """R-ELIG-5: staff of the chosen partnership who may validate profiles decide — never on
    a profile they represent themselves (staff often work for a member cluster organisation)."""
    if not is_partnership_staff_of(user, organisation, validators_only=True):
        return _deny(
            _(
                "Only staff of the partnership chosen by the organisation, allowed to validate "
                "profiles, may validate or reject it."
            )
        )
    if is_representative(user, organisation):
        return _deny(
            _(
                "You represent this organisation: another member of the partnership's staff "
                "must validate or reject its profile."
            )
        )
    return ALLOWED


def can_record_easme(user: User, organisation: Organisation) -> Permission:
    """R-ELIG-6: the Support Office records EASME's pre-approval, for SMEs only."""
    if not is_support_office(user):
        return _deny(_("Only the Support Office records an EASME pre-approval."))
    if organisation.org_type != OrganisationType.SME:
        return _deny(_("EASME's pre-approval exists only for SMEs (R-ELIG-6)."))
    return ALLOWED


def has_active_representative(organisation: Organisation) -> bool:
    """Whether ``organisation`` has an active representative whose account is active (read
    from the page's ``all_representatives`` prefetch when there is one)."""
    prefetched = getattr(organisation, "all_representatives", None)
    if prefetched is not None:
        return any(rep.is_active and rep.user.is_active for rep in prefetched)
    return organisation.representatives.filter(
        status=RepresentativeStatus.ACTIVE, user__is_active=True
    ).exists()


def can_decide_join_request(user: User, representative: Representative) -> Permission:
    """Who accepts or declines a request to join an organisation.

    Never the requester (a partnership's staff member would otherwise let themselves in and
    act for the organisation); one of the organisation's active representatives; and only
    where it has none, staff of its validating partnership."""
    organisation = representative.organisation
    if representative.user_id == user.pk:
        return _deny(
            _(
                "You made this request yourself: one of the organisation's active "
                "representatives (or, where it has none, its partnership's staff) must answer it."
            )
        )
    if is_representative(user, organisation):
        return ALLOWED
    if is_partnership_staff_of(user, organisation):
        if has_active_representative(organisation):
            return _deny(
                _(
                    "This organisation has active representatives: one of them answers requests "
                    "to join it, not its partnership's staff."
                )
            )
        return ALLOWED
    return _deny(
        _(
            "Only the organisation's active representatives (or, where it has none, its "
            "partnership's staff) may answer a request to join it."
        )
    )


def can_join_organisation(user: User, organisation: Organisation) -> Permission:
    if organisation.status not in (ProfileStatus.SUBMITTED, ProfileStatus.VALIDATED):
        return _deny(_("Only submitted or validated profiles can be joined."))
    return ALLOWED


def forget_cached_permissions(user: User) -> None:
    """Drop what ``accounts.roles`` cached on ``user`` after a change of their links."""
    forget_access(user)
