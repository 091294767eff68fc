"""Grow a test world to a given number of exchanges, fast (issue 13's "10 and 1,000 exchanges"
query pins): the exchanges already there are copied round-robin with ``bulk_create`` — each copy
with its own visiting organisation (R-ELIG-11: one visit each) and copies of everything the
queues and dashboards read about it (activities, payments, evidence, final reports, documents
and their signatures) — so a world built with factories to hold one item of every kind ends up
with a thousand exchanges in the same spread, in a second or two on SQLite.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import models

from exchanges.models import Activity, Exchange
from organisations.models import Organisation
from payments.models import Evidence, Payment
from reports.models import Document, FinalReport, Signature

#: The rows copied with their exchange (each has a foreign key ``exchange``).
EXCHANGE_ROWS: tuple[type[models.Model], ...] = (Activity, Payment, Evidence, FinalReport)


def _copy(obj: models.Model, **changes) -> models.Model:
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return type(obj)(**values)


def grow_exchanges(total: int) -> int:
    """Copy the existing exchanges (in id order, round-robin) until there are ``total``;
    return how many were added. Every copy is a fresh visitor's exchange with the same
    partnerships, host, status, mode and dates as its original, and the same related rows."""
    originals = list(Exchange.objects.order_by("pk"))
    missing = total - len(originals)
    if missing <= 0:
        return 0
    sources = [originals[i % len(originals)] for i in range(missing)]
    visitors = {
        o.pk: o for o in Organisation.objects.filter(pk__in={e.visitor_id for e in sources})
    }
    new_visitors = Organisation.objects.bulk_create(
        [_copy(visitors[e.visitor_id]) for e in sources], batch_size=500
    )
    start = Exchange.objects.count()
    copies = Exchange.objects.bulk_create(
        [
            _copy(e, visitor_id=v.pk, match_id=None, reference=f"GROWN-{start + i:06d}")
            for i, (e, v) in enumerate(zip(sources, new_visitors, strict=True))
        ],
        batch_size=500,
    )
    clones: dict[int, list[int]] = defaultdict(list)
    for source, copy in zip(sources, copies, strict=True):
        clones[source.pk].append(copy.pk)
    for model in EXCHANGE_ROWS:
        model.objects.bulk_create(
            [
                _copy(row, exchange_id=pk)
                for row in model.objects.filter(exchange_id__in=clones)
                for pk in clones[row.exchange_id]
            ],
            batch_size=500,
        )
    documents = list(Document.objects.filter(exchange_id__in=clones).order_by("pk"))
    signatures = defaultdict(list)
    for signature in Signature.objects.filter(document__in=documents):
        signatures[signature.document_id].append(signature)
    pairs = [(d, pk) for d in documents for pk in clones[d.exchange_id]]
    new_documents = Document.objects.bulk_create(
        [_copy(d, exchange_id=pk) for d, pk in pairs], batch_size=500
    )
    Signature.objects.bulk_create(
        [
            _copy(signature, document_id=new.pk)
            for (original, _pk), new in zip(pairs, new_documents, strict=True)
            for signature in signatures[original.pk]
        ],
        batch_size=500,
    )
    return missing
