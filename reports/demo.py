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
from .models import Document, DocumentStatus, Signature
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


# --- the documents in every state (seed_demo step, after the exchanges) -------------------------


def _render_pending(exchange_id: int) -> None:
    """Render the versions still being prepared right away (the demo runs in one transaction:
    the on-commit rendering would come after it, or never without a worker)."""
    for document in latest_documents(exchange_id).values():
        if document.status == DocumentStatus.RENDERING:
            document_render(document_id=document.pk)


def _seed_voided(ctx: Any) -> None:
    """R-DOC-5: a draft whose plan changed after two signatures: the CTQ's version 2 waits for
    every signature again, version 1 is void with its signatures (audited, the signers told).
    The first draft of the demo group (no plan yet) is used: its plan is filled, the host side
    signs the CTQ, then an activity's hours change."""
    from exchanges import services as exchange_services
    from exchanges.demo import GROUP_NAME, _approver_of, _fill_plan
    from exchanges.models import Exchange, ExchangeStatus

    exchange = (
        Exchange.objects.filter(group__name=GROUP_NAME, status=ExchangeStatus.DRAFT)
        .select_related("visitor", "host", "vop", "hop")
        .order_by("pk")
        .first()
    )
    actor = _approver_of(exchange.vop_id) if exchange else None
    if exchange is not None and Document.objects.filter(exchange=exchange).exists():
        return  # seeded by an earlier run (idempotent)
    if exchange is None or actor is None:
        ctx.say("Documents demo: no group draft for the voided version, skipped.")
        return
    if not exchange.activities.exists():
        _fill_plan(exchange, actor)
    sign_for_demo(exchange=exchange, as_of=ctx.today, partial=True)
    activity = exchange.activities.order_by("date", "pk").first()
    if activity is None:
        return
    exchange_services.exchange_activity_update(
        exchange=exchange,
        actor=actor,
        activity_id=activity.pk,
        date=activity.date,
        activity_type=activity.activity_type,
        title=activity.title,
        hours=activity.hours - 1,
        description=activity.description,
    )
    _render_pending(exchange.pk)


def _seal_signed(ctx: Any) -> int:
    """R-DOC-7: seal every fully signed current version not sealed yet, through the sealing
    task run in this process (the demo has no worker it could wait for)."""
    from .selectors_signing import is_fully_signed
    from .tasks import seal_document_task

    candidates = list(
        Document.objects.filter(status=DocumentStatus.READY, sealed_at__isnull=True)
        .select_related("exchange")
        .order_by("pk")
    )
    live = list(
        Signature.objects.filter(document_id__in=[d.pk for d in candidates], voided_at__isnull=True)
    )
    sealed = 0
    for document in candidates:
        if is_fully_signed(document, live):
            sealed += bool(seal_document_task(document_id=document.pk))
    return sealed


def seed_documents(ctx: Any) -> None:
    """The documents in every state (issue 11): being signed (the "draft" exchange, signed by
    the host side), fully signed and sealed (every contracted or later exchange), voided by a
    change (a version 2 with void signatures on version 1). Idempotent."""
    _seed_voided(ctx)
    sealed = _seal_signed(ctx)
    in_all = Document.objects.filter(sealed_at__isnull=False).count()
    void = Document.objects.filter(status=DocumentStatus.VOID).count()
    ctx.say(f"Documents: {sealed} sealed now ({in_all} sealed, {void} void in all).")
