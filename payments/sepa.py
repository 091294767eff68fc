"""The SEPA credit transfer (pain.001) of a selection of due payments, built with ``sepaxml``.

One file has one debtor: the VOP's own account (``Partnership.name``/``iban``/``bic``); each
payment is a transfer to the visitor's bank account (``BankAccount``), for the amount fixed at
contracting (R-PAY-5), with the exchange's reference as end-to-end id. ``sepaxml`` validates
the file against the pain.001.001.03 schema it ships before handing it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from cxc_portal.core.refusals import Refusal

from .models import PaymentStatus

SCHEMA = "pain.001.001.03"


def transfer_refusals(payments: Sequence[Any]) -> list[Refusal]:
    """Why these payments cannot go into one transfer file (empty: they can). Reads only the
    rows ``selectors_payments.payments_for_transfer`` loaded."""
    if not payments:
        return [Refusal("R-PAY-4", _("Select at least one due payment."))]
    refusals = []
    not_due = [p.exchange.reference for p in payments if p.status != PaymentStatus.DUE]
    if not_due:
        refusals.append(
            Refusal(
                "R-PAY-4",
                _("Only due payments are transferred; not due: %(refs)s.")
                % {"refs": ", ".join(not_due)},
            )
        )
    debtors = {p.exchange.vop_id for p in payments}
    if len(debtors) > 1:
        refusals.append(
            Refusal(
                "R-PAY-4",
                _(
                    "A transfer file pays from one partnership's account: select the payments "
                    "of one VOP."
                ),
            )
        )
    elif not payments[0].exchange.vop.iban:
        refusals.append(
            Refusal(
                "R-PAY-4",
                _(
                    "%(vop)s has no IBAN of its own, and it is the transfer's debtor: ask the "
                    "Support Office to enter it in the partnership's reference data."
                )
                % {"vop": payments[0].exchange.vop.acronym},
            )
        )
    no_account = [
        p.exchange.reference
        for p in payments
        if getattr(p.exchange.visitor, "bank_account", None) is None
    ]
    if no_account:
        refusals.append(
            Refusal(
                "R-PAY-6",
                _("The visitor has no bank account on file for: %(refs)s.")
                % {"refs": ", ".join(no_account)},
            )
        )
    return refusals


def _cents(amount) -> int:
    return int((amount * 100).to_integral_value())


def sepa_credit_transfer(*, payments: Sequence[Any], execution_date: date) -> bytes:
    """The pain.001 XML of ``payments`` (which ``transfer_refusals`` accepted)."""
    vop = payments[0].exchange.vop
    config = {"name": vop.name, "IBAN": vop.iban, "batch": True, "currency": "EUR"}
    if vop.bic:
        config["BIC"] = vop.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for payment in payments:
        account = payment.exchange.visitor.bank_account
        row = {
            "name": account.holder,
            "IBAN": account.iban,
            "amount": _cents(payment.amount),
            "execution_date": execution_date,
            "description": f"ClusterXchange lump sum {payment.exchange.reference}",
            "endtoend_id": payment.exchange.reference[:35],
        }
        if account.bic:
            row["BIC"] = account.bic
        transfer.add_payment(row)
    return transfer.export(validate=True)


def transfer_rows(payments: Sequence[Any]) -> list[list[Any]]:
    """The same selection as CSV rows (one per transfer)."""
    rows = []
    for payment in payments:
        account = getattr(payment.exchange.visitor, "bank_account", None)
        rows.append(
            [
                payment.exchange.reference,
                payment.exchange.visitor.legal_name,
                account.holder if account else "",
                account.iban if account else "",
                account.bic if account else "",
                payment.amount,
                "EUR",
                payment.due_date,
                payment.get_status_display(),
            ]
        )
    return rows


CSV_HEADER = [
    "exchange",
    "visitor",
    "account holder",
    "IBAN",
    "BIC",
    "amount",
    "currency",
    "due date",
    "status",
]
