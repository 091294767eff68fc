"""Roles are derived from what a user is linked to, never typed in by hand.

Lower rooms (organisations, partnerships) own the links; this module only reads them through
their reverse accessors (``representations``, ``partnership_staff``) so that ``accounts``
imports nothing from the apps above it.
"""

from dataclasses import dataclass
from enum import StrEnum


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


def user_roles(user) -> UserRoles:
    """Return the roles of ``user`` (two cheap EXISTS queries, cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ROLES
    cached = getattr(user, "_cxc_roles", None)
    if cached is not None:
        return cached
    roles: set[Role] = set()
    if user.is_superuser:
        roles.add(Role.SUPERUSER)
    if user.is_support_office:
        roles.add(Role.SUPPORT_OFFICE)
    if hasattr(user, "partnership_staff") and user.partnership_staff.exists():
        roles.add(Role.PARTNERSHIP_STAFF)
    if hasattr(user, "representations") and user.representations.filter(status="active").exists():
        roles.add(Role.APPLICANT)
    result = UserRoles(frozenset(roles))
    user._cxc_roles = result
    return result
