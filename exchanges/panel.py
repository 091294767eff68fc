"""What the exchange page offers a user: the transition buttons (each enabled, or disabled with
every reason ``gates.transition_refusals`` gives). Read-only: no writes,
no rules of its own — the same gates decide here and in the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.refusals import Refusal

from . import gates
from .models import Exchange, ExchangeStatus
from .permissions import (
    can_close_exchange,
    can_edit_draft,
    can_steer_exchange,
)


@dataclass(frozen=True)
class ActionState:
    name: str
    label: str
    url: str
    reasons: tuple[Refusal, ...] = ()
    style: str = "primary"
    confirm: str = ""
    method: str = "post"  # "get": a page with a form (cancel: the reason)

    @property
    def enabled(self) -> bool:
        return not self.reasons


@dataclass
class Panel:
    actions: list[ActionState] = field(default_factory=list)
    #: what contracting still waits for, shown to everyone on a draft (parties included)
    contract_missing: list[Refusal] = field(default_factory=list)
    can_edit: bool = False
    can_steer: bool = False


def _url(name: str, exchange: Exchange) -> str:
    return reverse(f"exchanges:{name}", kwargs={"pk": exchange.pk})


def exchange_panel(*, user, exchange: Exchange, today: date) -> Panel:
    steer = can_steer_exchange(user, exchange)
    close = can_close_exchange(user, exchange)
    status = exchange.status
    panel = Panel(
        can_edit=can_edit_draft(user, exchange) and status == ExchangeStatus.DRAFT,
        can_steer=steer,
    )
    if status == ExchangeStatus.DRAFT:
        panel.contract_missing = gates.transition_refusals("contract", exchange, today=today)
    if steer and status == ExchangeStatus.DRAFT:
        panel.actions.append(
            ActionState(
                "contract",
                _("Contract"),
                _url("contract", exchange),
                tuple(panel.contract_missing),
                confirm=_("Contract this exchange? Its dates and action plan will be frozen."),
            )
        )
    if steer and status == ExchangeStatus.CONTRACTED:
        panel.actions.append(
            ActionState(
                "execute",
                _("Record as executed"),
                _url("execute", exchange),
                tuple(gates.transition_refusals("execute", exchange, today=today)),
                confirm=_("Record that the stay took place?"),
            )
        )
    if close and status == ExchangeStatus.EXECUTED:
        panel.actions.append(
            ActionState(
                "close",
                _("Close"),
                _url("close", exchange),
                tuple(gates.transition_refusals("close", exchange, today=today)),
                confirm=_("Close this exchange? The payment clock starts."),
            )
        )
    if steer and status in (ExchangeStatus.DRAFT, ExchangeStatus.CONTRACTED):
        panel.actions.append(
            ActionState(
                "cancel",
                _("Cancel the exchange…"),
                _url("cancel", exchange),
                tuple(gates.transition_refusals("cancel", exchange, today=today)),
                style="outline-danger",
                method="get",
            )
        )
    return panel
