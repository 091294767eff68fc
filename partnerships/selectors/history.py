"""The history of an expression of interest or a match (R-PART-2, R-MATCH-2), on the one
timeline of the portal (``cxc_portal.audit.timeline``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cxc_portal.audit.timeline import Timeline, audience_for, timeline_for

from ..models import ExpressionOfInterest, Match

EVENT_LABELS = {
    "partnerships.interest.submitted": _lazy("Expression of interest sent"),
    "partnerships.interest.accepted": _lazy("Accepted by the partnership"),
    "partnerships.interest.declined": _lazy("Declined by the partnership"),
    "partnerships.interest.withdrawn": _lazy("Withdrawn by the applicant"),
    "partnerships.match.proposed": _lazy("Match proposed"),
    "partnerships.match.accepted": _lazy("Match confirmed"),
    "partnerships.match.declined": _lazy("Match declined"),
    "partnerships.match.withdrawn": _lazy("Proposal withdrawn"),
}


def _summary(code: str, data: dict) -> str:
    if data.get("automatic"):
        return _("automatically: the visitor confirmed another match")
    return str(data.get("reason") or data.get("note") or "")


def decision_timeline(
    *, record: ExpressionOfInterest | Match, user, everything: bool = False
) -> Timeline:
    """The events and e-mails of ``record``, newest first: its partnerships' staff (the
    interest's partnership; the match's VOP and HOP) and the Support Office see who did what
    and to whom each e-mail went, the organisations plain words (issue 8, point 9). Two
    queries."""
    in_charge: tuple[int, ...]
    if isinstance(record, Match):
        in_charge = (record.vop_id, record.hop_id)
    else:
        in_charge = (record.partnership_id,)
    return timeline_for(
        subjects=record,
        audience=audience_for(user, partnership_ids=in_charge),
        viewer=user,
        labels=EVENT_LABELS,
        summarise=_summary,
        everything=everything,
    )
