"""Views of the exchanges room: thin — parse input, call one service, render."""

from .exchanges import (
    exchange_amend,
    exchange_amend_withdraw,
    exchange_cancel,
    exchange_close,
    exchange_contract,
    exchange_create,
    exchange_create_from_match,
    exchange_detail,
    exchange_edit,
    exchange_execute,
    exchange_list,
)
from .groups import (
    group_add,
    group_bulk,
    group_create,
    group_detail,
    group_edit,
    group_list,
    group_remove,
)
from .plan import activity_add, activity_approve, activity_delete, activity_edit, plan_fragment

__all__ = [
    "exchange_amend",
    "exchange_amend_withdraw",
    "activity_add",
    "activity_approve",
    "activity_delete",
    "activity_edit",
    "exchange_cancel",
    "exchange_close",
    "exchange_contract",
    "exchange_create",
    "exchange_create_from_match",
    "exchange_detail",
    "exchange_edit",
    "exchange_execute",
    "exchange_list",
    "group_add",
    "group_bulk",
    "group_create",
    "group_detail",
    "group_edit",
    "group_list",
    "group_remove",
    "plan_fragment",
]
