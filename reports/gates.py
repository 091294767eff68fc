"""The documents room's part in the exchange lifecycle (``exchanges.gates``).

On **contract**, a consequence refreshes the documents (R-DOC-5): the FA then reads the amount
the payments room has just fixed (R-PAY-5; ``payments`` registers its consequence first, its app
is listed before ``reports``). Unchanged data make no new version; rendering is queued on commit,
so a failed contracting leaves no version and no task.
"""

from __future__ import annotations

from typing import Any

from exchanges import gates

from .services import document_refresh


def refresh_on_contract(exchange: Any, actor: Any) -> None:
    document_refresh(actor=actor, exchange=exchange.pk)


def register() -> None:
    gates.register_consequence("contract", refresh_on_contract)
