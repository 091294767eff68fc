"""Who may do what in the payments room: predicates over the user, read through
``accounts.roles.user_access`` (one reading per request).

- **Lump-sum rates** (R-PAY-3): maintained by the Support Office only; anyone, even without an
  account, may compute an amount with the public estimator.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import user_access

#: The sentence of the 403 page when a predicate says no.
RATES_DENIED = _("Only the Support Office maintains the lump-sum rates.")


def can_manage_rates(user) -> bool:
    """R-PAY-3: the Support Office (and superusers) list, add and read the history of rates."""
    return user_access(user).support_office
