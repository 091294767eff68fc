"""Demo step of the final activity reports (after ``exchanges.demo.seed``, before
``payments.demo.seed``): reports drafted, submitted, returned, validated and late (R-DOC-4,
R-DOC-6, R-DL-1).

- the three "closed" past stays: the visitor's report submitted and validated by the VOP (the
  payments step then accepts their evidence and they close by themselves, R-PAY-7); one host's
  report validated too;
- the "executed" stay: the visitor's report submitted, awaiting the VOP; the host's returned
  once with a comment;
- the "ended" stay (contracted, over for weeks): the visitor's report a draft, the host's not
  started — both late.

Everything goes through the services (so the timelines show real events and e-mails), with
the side's first active representative as author. Idempotent: a report that exists is left
as it is.
"""

from __future__ import annotations

from cxc_portal.core.demo import SeedContext
from exchanges.demo import OBJECTIVES, _approver_of
from exchanges.models import Exchange
from organisations.models import Representative, RepresentativeStatus

from .far_rules import Answers
from .models import FinalReport, FinalReportSide
from .selectors_far import far_objectives
from .services_far import far_render, far_return, far_save, far_validate


def _author(exchange: Exchange, side: str):
    organisation_id = exchange.host_id if side == FinalReportSide.HOST else exchange.visitor_id
    rep = (
        Representative.objects.filter(
            organisation_id=organisation_id, status=RepresentativeStatus.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return rep.user if rep else None


def _answers(exchange: Exchange, *, complete: bool = True) -> Answers:
    objectives = far_objectives(exchange)
    activities = list(exchange.activities.order_by("date", "pk").values_list("pk", flat=True))
    if not complete:
        return Answers(
            objective_scores=[4] * len(objectives),
            activities_done=activities[:2],
            follow_up="We plan a joint application; details to follow.",
        )
    return Answers(
        objective_scores=[4] * len(objectives),
        activities_done=activities,
        results_achieved=True,
        results_text="Two member companies agreed to test each other's prototypes.",
        collaborations=True,
        collaborations_text="A joint working group on open innovation.",
        follow_up="A joint application to the next call, and a return visit next year.",
        satisfaction_counterpart=5,
        satisfaction_partnership=4,
        satisfaction_overall=5,
        would_recommend=True,
        comments="Very well organised.",
    )


def _report(exchange: Exchange, side: str, *, submit: bool, today, complete: bool = True) -> bool:
    if FinalReport.objects.filter(exchange=exchange, side=side).exists():
        return False
    author = _author(exchange, side)
    if author is None:
        return False
    far_save(
        actor=author,
        exchange=exchange,
        side=side,
        answers=_answers(exchange, complete=complete),
        submit=submit,
        today=today,
    )
    return True


def seed(ctx: SeedContext) -> None:
    today = ctx.today
    made = 0
    by_objectives = {
        exchange.objectives: exchange
        for exchange in Exchange.objects.filter(objectives__in=list(OBJECTIVES.values()))
    }
    for key in ("closed", "closed_overdue", "closed_paid"):
        exchange = by_objectives.get(OBJECTIVES[key])
        if exchange is None:
            continue
        if _report(exchange, FinalReportSide.VISITOR, submit=True, today=today):
            made += 1
            vop = _approver_of(exchange.vop_id)
            if vop:
                far_validate(
                    actor=vop, exchange=exchange, side=FinalReportSide.VISITOR, today=today
                )
        if key == "closed" and _report(exchange, FinalReportSide.HOST, submit=True, today=today):
            made += 1
            hop = _approver_of(exchange.hop_id)
            if hop:
                far_validate(actor=hop, exchange=exchange, side=FinalReportSide.HOST, today=today)
    executed = by_objectives.get(OBJECTIVES["executed"])
    if executed is not None:
        made += _report(executed, FinalReportSide.VISITOR, submit=True, today=today)
        if _report(executed, FinalReportSide.HOST, submit=True, today=today):
            made += 1
            hop = _approver_of(executed.hop_id)
            if hop:
                far_return(
                    actor=hop,
                    exchange=executed,
                    side=FinalReportSide.HOST,
                    comment="Please describe the results in a few more words.",
                )
    ended = by_objectives.get(OBJECTIVES["ended"])
    if ended is not None:
        made += _report(ended, FinalReportSide.VISITOR, submit=False, today=today, complete=False)
    # The PDFs of the submissions, rendered right away (the demo runs in one transaction: the
    # on-commit rendering task would come after it, or never without a worker).
    for report_id in FinalReport.objects.filter(
        first_submitted_at__isnull=False, file=""
    ).values_list("pk", flat=True):
        far_render(report_id=report_id)
    ctx.say(f"Final activity reports: {made} made ({FinalReport.objects.count()} in all).")
