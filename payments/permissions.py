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


# --- Payments (R-PAY-4, R-PAY-5) ------------------------------------------------------------------

#: The sentence of the 403 page when a user may not see or record payments.
PAYMENTS_DENIED = _(
    "Only the finance staff of the visitor's partnership (VOP) and the Support Office see the "
    "payments (R-PAY-4)."
)
PAY_DENIED = _(
    "Only the finance staff of the visitor's partnership (VOP) record a payment (R-PAY-4)."
)


def can_view_payments(user) -> bool:
    """The finance pages: VOP staff who may pay (``can_pay``), and the Support Office
    (read-only)."""
    access = user_access(user)
    return access.support_office or bool(access.payment_partnerships)


def can_pay(user, exchange) -> bool:
    """R-PAY-4: the VOP pays: its staff with ``can_pay`` record payments and build SEPA files
    for its exchanges (the Support Office only reads)."""
    return exchange.vop_id in user_access(user).payment_partnerships


def can_see_lump_sum(user, exchange) -> bool:
    """R-PAY-5: the lump sum is part of the Financial Agreement between the visitor and its
    partnership: the visitor's representatives, the VOP's staff and the Support Office see the
    amount, its computation and the payment's status; the host side does not."""
    access = user_access(user)
    return (
        access.support_office
        or exchange.visitor_id in access.organisations
        or exchange.vop_id in access.staff_partnerships
    )
