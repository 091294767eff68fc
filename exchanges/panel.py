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
from .guards import draft_edit_blockers
from .models import Amendment, Exchange, ExchangeStatus
from .permissions import (
    can_amend_exchange,
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
    #: R-DOC-8: the amendment in progress, if any
    amendment: Amendment | None = None


def _url(name: str, exchange: Exchange) -> str:
    return reverse(f"exchanges:{name}", kwargs={"pk": exchange.pk})


def exchange_panel(
    *, user, exchange: Exchange, today: date, amendment: Amendment | None = None
) -> Panel:
    """``amendment``: the exchange's amendment in progress (``selectors.amendment_in_progress``),
    which lets the VOP's staff edit the dates and plan of a contracted exchange (R-DOC-8)."""
    steer = can_steer_exchange(user, exchange)
    close = can_close_exchange(user, exchange)
    amend = can_amend_exchange(user, exchange)
    status = exchange.status
    panel = Panel(
        can_edit=can_edit_draft(user, exchange)
        and not draft_edit_blockers(
            exchange, amendment_open=amendment is not None, may_amend=amend
        ),
        can_steer=steer,
        amendment=amendment,
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
    if amend and status == ExchangeStatus.CONTRACTED and amendment is None:
        panel.actions.append(
            ActionState(
                "amend",
                _("Amend the dates or plan…"),
                _url("amend", exchange),
                tuple(gates.amendment_refusals(exchange, today=today)),
                style="outline-primary",
                method="get",
            )
        )
    if amend and amendment is not None and amendment.changed_at is None:
        panel.actions.append(
            ActionState(
                "amend_withdraw",
                _("Withdraw the amendment"),
                _url("amend_withdraw", exchange),
                style="outline-secondary",
                confirm=_("Withdraw this amendment? The signed documents stay as they are."),
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
