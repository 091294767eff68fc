"""Every write on exchanges, groups and action plans (R-EXC-*), one function per action.

Each service is keyword-only, takes the acting user, runs in one transaction with the row
locked, re-checks its guard on the fresh row, saves only the fields it changes, writes an audit
event and queues its notifications for after the commit. Refusals raise ``ValidationError``
(keyed by form field where the message belongs to one) or ``PermissionDenied``.
"""

from .amendments import (
    amendment_close,
    amendment_open,
    amendment_withdraw,
    amendment_withdraw_on_cancel,
)
from .encoding import exchange_create, exchange_update, reference_for
from .groups import (
    BULK_ACTIONS,
    group_add_exchange,
    group_bulk,
    group_create,
    group_remove_exchange,
    group_update,
)
from .plan import (
    exchange_activity_add,
    exchange_activity_approve,
    exchange_activity_delete,
    exchange_activity_update,
)
from .report_facts import exchange_report_submitted
from .transitions import (
    exchange_cancel,
    exchange_close,
    exchange_close_if_ready,
    exchange_contract,
    exchange_contract_if_ready,
    exchange_execute,
    exchange_flag_ended,
    exchanges_flag_ended,
)

__all__ = [
    "BULK_ACTIONS",
    "amendment_close",
    "amendment_open",
    "amendment_withdraw",
    "amendment_withdraw_on_cancel",
    "exchange_activity_add",
    "exchange_activity_approve",
    "exchange_activity_delete",
    "exchange_activity_update",
    "exchange_cancel",
    "exchange_close",
    "exchange_close_if_ready",
    "exchange_contract",
    "exchange_contract_if_ready",
    "exchange_create",
    "exchange_execute",
    "exchange_flag_ended",
    "exchange_report_submitted",
    "exchange_update",
    "exchanges_flag_ended",
    "group_add_exchange",
    "group_bulk",
    "group_create",
    "group_remove_exchange",
    "group_update",
    "reference_for",
]
