"""The documents room's part of the demo (R-DOC-2, R-DOC-3, R-DOC-5): the exchanges step asks it
(``exchanges.demo.register_signer``, registered from ``ReportsConfig.ready``) to have an
exchange's documents signed. The documents are prepared and rendered right away (the demo runs
in one transaction: the on-commit rendering would come too late), then each party signs through
``signature_add`` as its first signatory (the organisations' adult representatives, the
partnerships' staff with the "may sign" flag), "as of" the scenario's date. The last signature
contracts the exchange by itself when every other condition holds that day."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from . import signing
from .models import DocumentStatus
from .selectors import latest_documents
from .selectors_signing import party_signatories
from .services import document_refresh, document_render
from .services_signing import signature_add

#: A draft "being signed": these signatures only (the CTQ by the host side).
PARTIAL = (("CTQ", "ho"), ("CTQ", "hop"))


def sign_for_demo(*, exchange: Any, as_of: date, partial: bool = False) -> None:
    document_refresh(actor=None, exchange=exchange.pk)
    for document in latest_documents(exchange.pk).values():
        if document.status == DocumentStatus.RENDERING:
            document_render(document_id=document.pk)
    moment = timezone.make_aware(datetime.combine(as_of, time(10, 0)))
    signatories = party_signatories(exchange, today=as_of)
    for kind, document in latest_documents(exchange.pk).items():
        for party in signing.required_parties(kind):
            if partial and (kind, party) not in PARTIAL:
                continue
            if document.signatures.filter(party=party, voided_at__isnull=True).exists():
                continue
            people = signatories[party]
            if not people:
                continue
            signer = people[0]
            signature_add(
                actor=signer,
                document=document.pk,
                party=party,
                typed_name=signer.get_full_name(),
                ip="127.0.0.1",
                user_agent="seed_demo",
                now=moment,
            )
