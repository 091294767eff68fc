"""Roles are derived from what a user is linked to, never typed in by hand.

Lower rooms (organisations, partnerships) own the links; this module only reads them through
their reverse accessors (``representations``, ``partnership_staff``) so that ``accounts``
imports nothing from the apps above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Role(StrEnum):
    APPLICANT = "applicant"
    PARTNERSHIP_STAFF = "partnership_staff"
    SUPPORT_OFFICE = "support_office"
    SUPERUSER = "superuser"


#: Roles whose accounts must have a second factor before reaching any staff page.
MFA_REQUIRED_ROLES = frozenset({Role.PARTNERSHIP_STAFF, Role.SUPPORT_OFFICE, Role.SUPERUSER})


@dataclass(frozen=True)
class UserRoles:
    roles: frozenset[Role]

    def __contains__(self, role: object) -> bool:
        return role in self.roles

    @property
    def is_applicant(self) -> bool:
        return Role.APPLICANT in self.roles

    @property
    def is_partnership_staff(self) -> bool:
        return Role.PARTNERSHIP_STAFF in self.roles

    @property
    def is_support_office(self) -> bool:
        return Role.SUPPORT_OFFICE in self.roles or Role.SUPERUSER in self.roles

    @property
    def is_staff_like(self) -> bool:
        """Partnership staff, Support Office or superuser: the people who run the scheme."""
        return bool(self.roles & MFA_REQUIRED_ROLES)

    @property
    def mfa_required(self) -> bool:
        return self.is_staff_like


NO_ROLES = UserRoles(frozenset())


@dataclass(frozen=True)
class UserAccess:
    """The ids a user acts for, read once per request: the one place every room asks.

    ``organisations``: organisations the user actively represents; ``staff_partnerships``:
    partnerships they work for, and the subsets where they may validate profiles, approve
    exchanges or manage payments (``PartnershipStaff`` flags).
    """

    support_office: bool = False
    organisations: frozenset[int] = frozenset()
    staff_partnerships: frozenset[int] = frozenset()
    validator_partnerships: frozenset[int] = frozenset()
    approver_partnerships: frozenset[int] = frozenset()
    payment_partnerships: frozenset[int] = frozenset()
    #: R-DOC-2, R-DOC-3: where the user signs documents for the partnership (``can_sign``)
    signer_partnerships: frozenset[int] = frozenset()


NO_ACCESS = UserAccess()


def user_access(user: User | AnonymousUser) -> UserAccess:
    """What ``user`` acts for (two queries, cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    # Signed in: a ``User``, which also carries this per-request cache (hence untyped here).
    member: Any = user
    cached = getattr(member, "_cxc_access", None)
    if cached is not None:
        return cached
    staff_rows = (
        list(
            member.partnership_staff.values_list(
                "partnership_id",
                "can_validate_profiles",
                "can_approve_exchanges",
                "can_pay",
                "can_sign",
            )
        )
        if hasattr(member, "partnership_staff")
        else []
    )
    organisations = (
        frozenset(
            member.representations.filter(status="active").values_list("organisation_id", flat=True)
        )
        if hasattr(member, "representations")
        else frozenset()
    )
    access = UserAccess(
        support_office=bool(member.is_superuser or member.is_support_office),
        organisations=organisations,
        staff_partnerships=frozenset(row[0] for row in staff_rows),
        validator_partnerships=frozenset(row[0] for row in staff_rows if row[1]),
        approver_partnerships=frozenset(row[0] for row in staff_rows if row[2]),
        payment_partnerships=frozenset(row[0] for row in staff_rows if row[3]),
        signer_partnerships=frozenset(row[0] for row in staff_rows if row[4]),
    )
    member._cxc_access = access
    return access


def forget_access(user: User | AnonymousUser) -> None:
    """Drop the cached roles and access (after a service changed the user's links)."""
    for attr in ("_cxc_access", "_cxc_roles"):
        if hasattr(user, attr):
            delattr(user, attr)


def user_roles(user: User | AnonymousUser) -> UserRoles:
    """Return the roles of ``user``, derived from ``user_access`` (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ROLES
    member: Any = user  # signed in: a ``User`` carrying the per-request cache
    cached = getattr(member, "_cxc_roles", None)
    if cached is not None:
        return cached
    access = user_access(user)
    roles: set[Role] = set()
    if member.is_superuser:
        roles.add(Role.SUPERUSER)
    if member.is_support_office:
        roles.add(Role.SUPPORT_OFFICE)
    if access.staff_partnerships:
        roles.add(Role.PARTNERSHIP_STAFF)
    if access.organisations:
        roles.add(Role.APPLICANT)
    result = UserRoles(frozenset(roles))
    member._cxc_roles = result
    return result


def require_support_office(user: User | AnonymousUser, message: str) -> None:
    """The Support Office's own pages (undeliverable e-mails, PDFs given up on): anyone else
    gets a 403 that says why (``message``)."""
    from django.core.exceptions import PermissionDenied

    if not user_access(user).support_office:
        raise PermissionDenied(message)
