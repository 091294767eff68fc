"""The reports room's sections of the work queue and its steps of the applicant's journey
(``cxc_portal.core.work_queue``: the slots ``reports.*``, ``documents`` and ``report``).

Staff, scoped to their partnerships:

* ``reports.documents_to_sign`` (R-DOC-2, R-DOC-3): the current, rendered CTQ and FA versions
  of draft exchanges still missing the signature of a partnership the user may sign for (the
  HOP signs the CTQ, the VOP the CTQ and the FA), due on the stay's first day, soonest first;
* ``reports.far_to_validate`` (R-DOC-6): submitted final reports the user's partnership must
  validate or return — the VOP the visitor's (Annex 3), the HOP the host's (Annex 2) — for
  the staff who approve exchanges, the oldest submission first;
* ``reports.far_overdue`` (R-DOC-4, R-DL-1): final reports not submitted 7 days after the
  stay, of the sides whose partnership is the user's (the VOP for the visitor's, the HOP for
  the host's), the oldest due date first.

Support Office: ``reports.far_overdue_all``, the same across every partnership.

Each section: a COUNT and a LIMITed SELECT ordered on an indexed key (issue 12), on facts kept
where the rows are, so that each reads a partial index and never a whole table: a version's
"awaits the HOP / VOP" (``Document.awaits_hop``/``awaits_vop``), a report's reviewer
(``FinalReport.reviewer``), an exchange's "report first submitted" per side
(``Exchange.visitor_report_at``/``host_report_at``: the overdue reports, both sides counted in
one query and listed from one ordered scan).

Applicants (the journey, one or two queries for the whole batch of exchanges): ``documents``
says which document waits for the user's signature (or whose signature it waits for), due on
the stay's first day; ``report`` says what to do with the user's side's final report, due on
the stay's end + 7 days, and how late it is in words.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cxc_portal.accounts.roles import user_access
from cxc_portal.core.work_queue import (
    Audience,
    NextStep,
    QueueItem,
    QueueRequest,
    QueueSlice,
    local_day,
    register_journey_step,
    register_queue_section,
)
from exchanges.models import REPORT_FACTS, Exchange, ExchangeStatus, Party, report_missing_q
from organisations.models import Representative, RepresentativeStatus

from .far_rules import FAR_DUE_DAYS, FAR_OPEN_STATES, far_due_date
from .models import (
    Document,
    DocumentKind,
    DocumentStatus,
    FinalReport,
    FinalReportSide,
    FinalReportStatus,
    Signature,
)
from .permissions import reads_document_kind
from .selectors import pdf_failure_label, pdf_failures
from .signing import REQUIRED_PARTIES, party_short


def _exchange_url(exchange_id: int) -> str:
    return reverse("exchanges:detail", kwargs={"pk": exchange_id})


def _far_url(exchange_id: int, side: str) -> str:
    return reverse("reports:far_detail", kwargs={"exchange_id": exchange_id, "side": side})


def _kinds_signed_by(party: str) -> list[str]:
    """R-DOC-2, R-DOC-3: the document kinds ``party`` signs."""
    return [kind for kind, parties in REQUIRED_PARTIES.items() if party in parties]


def _signed_by(party: str) -> Exists:
    return Exists(
        Signature.objects.filter(document=OuterRef("pk"), party=party, voided_at__isnull=True)
    )


def _current_versions() -> QuerySet[Document]:
    """R-DOC-5: the current versions (rendered, not void) of draft exchanges' documents."""
    return Document.objects.filter(
        status=DocumentStatus.READY, exchange__status=ExchangeStatus.DRAFT
    )


# --- staff ---------------------------------------------------------------------------------------


def documents_to_sign(request: QueueRequest) -> QueueSlice | None:
    """R-DOC-2, R-DOC-3: documents awaiting the signature of a partnership the user may sign
    for ("may sign" flag), as HOP (the CTQ) or VOP (the CTQ and the FA)."""
    partnerships = user_access(request.user).signer_partnerships
    if not partnerships:
        return None
    ids = list(partnerships)
    # The version's own "awaits the HOP / VOP" facts (``Document.awaits_hop``/``awaits_vop``,
    # cleared by the signature): the partial index ``document_awaits_partnership`` holds only
    # the versions still waiting, probed per draft of the user's partnerships — never the
    # signatures of every draft's documents (issue 12).
    as_hop = Q(exchange__hop_id__in=ids, kind__in=_kinds_signed_by(Party.HOP), awaits_hop=True)
    as_vop = Q(exchange__vop_id__in=ids, kind__in=_kinds_signed_by(Party.VOP), awaits_vop=True)
    waiting = (
        _current_versions()
        .filter(Q(awaits_hop=True) | Q(awaits_vop=True))
        .filter(as_hop | as_vop)
        .order_by()
    )
    count = waiting.count()
    rows = waiting.order_by("exchange__start_date", "exchange_id", "kind").values(
        "pk",
        "kind",
        "version",
        "exchange_id",
        "exchange__reference",
        "exchange__visitor__legal_name",
        "exchange__host__legal_name",
        "exchange__start_date",
        "exchange__vop_id",
        "exchange__hop_id",
    )[: request.limit]
    items = []
    for row in rows:
        sides = [
            party_short(party)
            for party, pid in (
                (Party.HOP, row["exchange__hop_id"]),
                (Party.VOP, row["exchange__vop_id"]),
            )
            if pid in partnerships and row["kind"] in _kinds_signed_by(party)
        ]
        items.append(
            QueueItem(
                what=_("Sign the %(kind)s") % {"kind": DocumentKind(row["kind"]).label},
                subject=f"{row['exchange__reference']} · {row['exchange__visitor__legal_name']}"
                f" → {row['exchange__host__legal_name']}",
                url=_exchange_url(row["exchange_id"]),
                due=row["exchange__start_date"],
                detail=_("version %(v)s, as %(as)s")
                % {"v": row["version"], "as": " / ".join(sides)},
            )
        )
    return QueueSlice(count, items)


def far_to_validate(request: QueueRequest) -> QueueSlice | None:
    """R-DOC-6: submitted reports awaiting the user's partnership: the VOP validates the
    visitor's, the HOP the host's (staff who approve exchanges), the oldest submission first."""
    partnerships = user_access(request.user).approver_partnerships
    if not partnerships:
        return None
    # The report's own reviewer (the exchange's VOP for the visitor's, its HOP for the
    # host's): a range of the partial index ``final_report_to_validate``.
    waiting = FinalReport.objects.filter(
        reviewer_id__in=list(partnerships), status=FinalReportStatus.SUBMITTED
    ).order_by()
    count = waiting.count()
    rows = waiting.order_by("submitted_at", "pk").values(
        "side",
        "submitted_at",
        "exchange_id",
        "exchange__reference",
        "exchange__end_date",
        "exchange__visitor__legal_name",
        "exchange__host__legal_name",
    )[: request.limit]
    items = [
        QueueItem(
            what=_("Validate or return a final report"),
            subject=f"{row['exchange__reference']} · "
            + (
                row["exchange__visitor__legal_name"]
                if row["side"] == FinalReportSide.VISITOR
                else row["exchange__host__legal_name"]
            ),
            url=_far_url(row["exchange_id"], row["side"]),
            since=timezone.localdate(row["submitted_at"]) if row["submitted_at"] else None,
            detail=str(FinalReportSide(row["side"]).label),
        )
        for row in rows
    ]
    return QueueSlice(count, items)


#: The sides of an exchange's two reports, in the order their items are listed.
_SIDES = (FinalReportSide.HOST, FinalReportSide.VISITOR)


def _missing_q(side: str, partnership_ids: list[int] | None) -> Q:
    """R-DOC-4: the exchanges whose ``side`` report was never submitted (the exchange's own
    "report first submitted" fact, ``Exchange.visitor_report_at``/``host_report_at``: set at the
    first submission, never unset — a returned report stays in), of the side's partnership
    (the VOP for the visitor's report, the HOP for the host's) when given."""
    # The state is already in the query's WHERE (``report_missing_q()``, the partial indexes'
    # predicate): not repeated here, so a count reads the index only.
    q = Q(**{f"{REPORT_FACTS[side]}__isnull": True})
    if partnership_ids is not None:
        field = "vop_id" if side == FinalReportSide.VISITOR else "hop_id"
        q &= Q(**{f"{field}__in": partnership_ids})
    return q


def _overdue_slice(request: QueueRequest, partnership_ids: list[int] | None, what: str):
    """R-DOC-4, R-DL-1: the reports not submitted 7 days after the stay, of either side (one
    item per missing report, the oldest due date first), read from the exchange's facts: two
    queries whatever the data — a COUNT per side, and the first ``limit`` exchanges with a
    report missing in end-date order (the partial index ``exchange_far_missing``, or its
    per-side siblings by VOP/HOP), each giving its one or two items. Never an anti-join over
    every ended exchange (issue 12)."""
    overdue = (
        Exchange.objects.filter(
            report_missing_q(), end_date__lt=request.today - timedelta(days=FAR_DUE_DAYS)
        )
        .filter(reduce(or_, (_missing_q(side, partnership_ids) for side in _SIDES)))
        .order_by()
    )
    counts = overdue.aggregate(
        **{str(side): Count("pk", filter=_missing_q(side, partnership_ids)) for side in _SIDES}
    )
    rows = overdue.order_by("end_date", "pk").values(
        "pk",
        "end_date",
        "reference",
        "vop_id",
        "hop_id",
        "visitor_report_at",
        "host_report_at",
        "visitor__legal_name",
        "host__legal_name",
    )[: request.limit]
    items = []
    for row in cast(list[dict[str, Any]], list(rows)):
        for side in _SIDES:
            partnership = row["vop_id" if side == FinalReportSide.VISITOR else "hop_id"]
            if row[f"{side}_report_at"] is not None or (
                partnership_ids is not None and partnership not in partnership_ids
            ):
                continue
            items.append(
                QueueItem(
                    what=what,
                    subject=f"{row['reference']} · {row[f'{side}__legal_name']}",
                    url=_exchange_url(row["pk"]),
                    due=far_due_date(row["end_date"]),
                    detail=str(FinalReportSide(side).label),
                )
            )
    return QueueSlice(sum(counts.values()), items[: request.limit])


def far_overdue(request: QueueRequest) -> QueueSlice | None:
    """R-DOC-4, R-DL-1: reports overdue of the sides whose partnership the user works for."""
    partnerships = user_access(request.user).staff_partnerships
    if not partnerships:
        return None
    return _overdue_slice(request, list(partnerships), _("Chase an overdue final report"))


def far_overdue_all(request: QueueRequest) -> QueueSlice | None:
    """R-DOC-4, R-DL-1: every overdue report of the programme (the Support Office)."""
    return _overdue_slice(request, None, _("Follow up an overdue final report"))


# --- the applicant's journey ------------------------------------------------------------------


def _user_side(user_orgs: frozenset[int], exchange: Any) -> str:
    return FinalReportSide.VISITOR if exchange.visitor_id in user_orgs else FinalReportSide.HOST


def documents_step(user: Any, today: date, exchanges: list[Any]) -> dict[int, NextStep]:
    """R-DOC-2, R-DOC-3: for each draft exchange, the current document waiting for the user's
    organisation's signature (the user signs if they are its signatory), due on the stay's
    first day; when their side has signed everything, whose signature is still missing. Two
    queries for the whole batch (the documents with who signed them; the user's signatory
    roles)."""
    drafts = {e.pk: e for e in exchanges if e.status == ExchangeStatus.DRAFT}
    access = user_access(user)
    orgs = access.organisations
    signed = {party: _signed_by(party) for party in Party.values}
    # The whole batch's ids (the draft state checked in SQL): the same queries whatever the
    # batch holds.
    documents = list(
        _current_versions()
        .filter(exchange_id__in=[e.pk for e in exchanges])
        .annotate(**{f"signed_{party}": exists for party, exists in signed.items()})
        .only("pk", "exchange_id", "kind", "version")
        .order_by("exchange_id", "kind")
    )
    signatory_of = set(
        Representative.objects.filter(
            user_id=user.pk,
            organisation_id__in=orgs,
            status=RepresentativeStatus.ACTIVE,
            is_signatory=True,
        ).values_list("organisation_id", flat=True)
    )
    steps: dict[int, NextStep] = {}
    for exchange_id, exchange in drafts.items():
        mine = [
            (party, org)
            for party, org in ((Party.VO, exchange.visitor_id), (Party.HO, exchange.host_id))
            if org in orgs
        ]
        url = _exchange_url(exchange_id)
        to_sign, others = [], set()
        for document in (d for d in documents if d.exchange_id == exchange_id):
            # R-DOC-3: the host's side never hears of the FA, not even who has not signed it.
            if not reads_document_kind(access, exchange, document.kind):
                continue
            for party in REQUIRED_PARTIES[document.kind]:
                if getattr(document, f"signed_{party}"):
                    continue
                if any(party == own for own, _org in mine):
                    to_sign.append((document, party))
                else:
                    others.add(party_short(party))
        if to_sign:
            names = ", ".join(
                f"{document.kind} v{document.version}" for document, _party in to_sign
            )
            if any(dict(mine)[party] in signatory_of for _doc, party in to_sign):
                text = _("Sign %(documents)s") % {"documents": names}
            else:
                text = _("Your organisation's signatory signs %(documents)s") % {"documents": names}
            steps[exchange_id] = NextStep(text, url, exchange.start_date)
        elif others:
            steps[exchange_id] = NextStep(
                _("Signed on your side: waiting for %(parties)s")
                % {"parties": ", ".join(sorted(others))},
                url,
                exchange.start_date,
            )
    return steps


def _late_words(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return ""
    return ngettext("%(n)d day late", "%(n)d days late", days) % {"n": days}


def report_step(user: Any, today: date, exchanges: list[Any]) -> dict[int, NextStep]:
    """R-DOC-4, R-DOC-6: for each exchange whose stay is over, what to do with the user's
        side's final report — write it, finish the draft, correct it after a return, or wait for
        the partnership — due on the stay's end + 7 days, late in words. One query (for the whole
    batch, whatever it holds)."""
    orgs = user_access(user).organisations
    open_ones = {e.pk: e for e in exchanges if e.status in FAR_OPEN_STATES and e.end_date <= today}
    reports = {
        (r.exchange_id, r.side): r
        for r in FinalReport.objects.filter(exchange_id__in=[e.pk for e in exchanges]).only(
            "exchange_id", "side", "status", "first_submitted_at"
        )
    }
    steps: dict[int, NextStep] = {}
    for exchange_id, exchange in open_ones.items():
        side = _user_side(orgs, exchange)
        report = reports.get((exchange_id, side))
        due = far_due_date(exchange.end_date)
        late = _late_words(due, today)
        edit = reverse("reports:far_edit", kwargs={"exchange_id": exchange_id, "side": side})
        partnership = exchange.vop if side == FinalReportSide.VISITOR else exchange.hop
        if report is None or report.status == FinalReportStatus.DRAFT:
            text = (
                _("Write your final activity report")
                if report is None
                else _("Finish and submit your final activity report")
            )
            steps[exchange_id] = NextStep(f"{text} ({late})" if late else text, edit, due)
        elif report.status == FinalReportStatus.RETURNED:
            steps[exchange_id] = NextStep(
                _("Correct your final activity report: it was returned with a comment"), edit
            )
        elif report.status == FinalReportStatus.SUBMITTED:
            steps[exchange_id] = NextStep(
                _("Wait for %(p)s to validate your final activity report")
                % {"p": partnership.acronym},
                _far_url(exchange_id, side),
            )
        else:
            steps[exchange_id] = NextStep(
                _("Your final activity report is validated"), _far_url(exchange_id, side)
            )
    return steps


def pdf_failures_section(request: QueueRequest) -> QueueSlice | None:
    """Support Office: the PDFs (a version's rendering or seal, a final report's rendering) the
    sweep gave up on after ``CXC_RENDER_MAX_ATTEMPTS`` (``PdfWork``), newest first: fix the
    cause (the error is on the list page), then try again. A COUNT and a LIMITed SELECT over
    the two partial indexes of the rows given up on."""
    failures = pdf_failures(request.user)
    count = failures.count()
    url = reverse("reports:pdf_failures")
    items = [
        QueueItem(
            what=_("Make a PDF again once its error is fixed"),
            subject=f"{row['reference']} · {pdf_failure_label(row)}",
            url=url,
            since=local_day(row["pdf_failed_at"]),
            detail=ngettext("%(n)d attempt", "%(n)d attempts", row["pdf_attempts"])
            % {"n": row["pdf_attempts"]},
        )
        for row in failures[: request.limit]
    ]
    return QueueSlice(count, items, url)


def register() -> None:
    """Called once from ``ReportsConfig.ready`` (the slots and orders of ``core.work_queue``)."""
    register_queue_section(
        "reports.documents_to_sign",
        gettext_lazy("Documents to sign"),
        documents_to_sign,
        audience=Audience.STAFF,
        order=40,
    )
    register_queue_section(
        "reports.far_to_validate",
        gettext_lazy("Final reports to validate"),
        far_to_validate,
        audience=Audience.STAFF,
        order=70,
    )
    register_queue_section(
        "reports.far_overdue",
        gettext_lazy("Final reports overdue"),
        far_overdue,
        audience=Audience.STAFF,
        order=75,
    )
    register_queue_section(
        "reports.far_overdue_all",
        gettext_lazy("Overdue final reports across partnerships"),
        far_overdue_all,
        audience=Audience.SUPPORT_OFFICE,
        order=130,
    )
    register_queue_section(
        "reports.pdf_failures",
        gettext_lazy("PDFs that could not be made"),
        pdf_failures_section,
        audience=Audience.SUPPORT_OFFICE,
        order=145,
    )
    register_journey_step("documents", documents_step)
    register_journey_step("report", report_step)
