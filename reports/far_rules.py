"""Pure rules of the Final Activity Reports (R-DOC-4, R-DOC-6, R-DL-1): no ORM, no clock.

- :func:`far_due_date`: a report is due **7 days after the last day of the stay** (R-DOC-4).
- :func:`far_is_late`: late when not submitted by its due date, or first submitted after it.
- :func:`far_is_open`: the questionnaire opens on the last day of the stay, on an exchange that
  is contracted, executed or closed (see its docstring for why).
- :func:`objective_list`: the CTQ's objectives, one per line of the exchange's objectives.
- :func:`answer_refusals`: what is wrong with a set of answers (a draft: only over-long texts and
  out-of-range scores; a submission: also every required answer missing), keyed by form field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal

#: R-DOC-4: the final activity reports are due this many days after the last day of the stay.
FAR_DUE_DAYS = 7
#: R-DOC-6: a report may be returned for a correction this many times.
FAR_MAX_RETURNS = 1

SCORE_MIN, SCORE_MAX = 1, 5
#: "a short description": results, collaborations.
SHORT_TEXT_MAX = 1000
#: follow-up plans, free comments, the reviewer's return comment.
LONG_TEXT_MAX = 2000

#: Exchange states in which a report may be filled in (``ExchangeStatus`` values).
FAR_OPEN_STATES = ("contracted", "executed", "closed")

SCORE_FIELDS = ("satisfaction_counterpart", "satisfaction_partnership", "satisfaction_overall")
YES_NO_FIELDS = ("results_achieved", "collaborations", "would_recommend")
TEXT_LIMITS = {
    "results_text": SHORT_TEXT_MAX,
    "collaborations_text": SHORT_TEXT_MAX,
    "follow_up": LONG_TEXT_MAX,
    "comments": LONG_TEXT_MAX,
}

_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d+[.)])\s*")


def far_due_date(end_date: date) -> date:
    """R-DOC-4, R-DL-1: the day a final activity report is due (end date + 7 days)."""
    return end_date + timedelta(days=FAR_DUE_DAYS)


def far_is_late(*, end_date: date, first_submitted_on: date | None, today: date) -> bool:
    """R-DOC-4: late once today is past the due date and it was never submitted, or when it
    was first submitted after its due date. A report returned for a correction after an
    on-time submission is not late: the author did report in time."""
    due = far_due_date(end_date)
    if first_submitted_on is None:
        return today > due
    return first_submitted_on > due


def far_is_open(*, status: str, end_date: date, today: date) -> bool:
    """R-DOC-4: the questionnaire opens on the last day of the stay (end date ≤ today).

    Only on an exchange that is contracted, executed or closed: a draft has no agreed stay and a
    cancelled one no stay to report on. Contracted counts because the partnership may record the
    execution days after the stay ended, while the 7-day clock already runs; closed counts
    because closing waits only for the *visitor's* report (R-PAY-4): the host's may still come.
    """
    return status in FAR_OPEN_STATES and end_date <= today


def objective_list(text: str) -> list[str]:
    """The CTQ's objectives (R-DOC-2): one per non-empty line of the exchange's objectives, the
    bullets and numbers in front of them removed. A text of one paragraph is one objective."""
    items = [_BULLET.sub("", line).strip() for line in (text or "").splitlines()]
    return [item for item in items if item]


@dataclass
class Answers:
    """The answers of one questionnaire (Annex 2 or 3), as typed; ``None`` = not answered."""

    objective_scores: list[int | None] = field(default_factory=list)
    activities_done: list[int] = field(default_factory=list)
    results_achieved: bool | None = None
    results_text: str = ""
    collaborations: bool | None = None
    collaborations_text: str = ""
    follow_up: str = ""
    satisfaction_counterpart: int | None = None
    satisfaction_partnership: int | None = None
    satisfaction_overall: int | None = None
    would_recommend: bool | None = None
    comments: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _score_refusal(value: Any, field_name: str) -> Refusal | None:
    if value is None:
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not (SCORE_MIN <= value <= SCORE_MAX)
    ):
        return Refusal(
            "R-DOC-4",
            _("A score is a whole number from %(min)d (poor) to %(max)d (excellent).")
            % {"min": SCORE_MIN, "max": SCORE_MAX},
            field_name,
        )
    return None


def answer_refusals(
    answers: Answers, *, objectives: list[str], activity_ids: set[int], complete: bool
) -> list[Refusal]:
    """R-DOC-4: what is wrong with ``answers``, each refusal keyed by its form field.

    Always: scores within 1–5, texts within their length, activities of this plan only, one
    score per objective at most. When ``complete`` (submitting): every objective scored, each
    yes/no answered, a description for each "yes", the follow-up plans and the three
    satisfaction scores given. Free comments stay optional.
    """
    refusals: list[Refusal] = []
    required = _("Answer this question before submitting the report.")
    if len(answers.objective_scores) > len(objectives):
        refusals.append(Refusal("R-DOC-4", _("One score per objective of the exchange."), None))
    for index, score in enumerate(answers.objective_scores[: len(objectives)]):
        refusal = _score_refusal(score, f"objective_{index}")
        if refusal:
            refusals.append(refusal)
    for index in range(len(objectives)):
        scores = answers.objective_scores
        if complete and (index >= len(scores) or scores[index] is None):
            refusals.append(Refusal("R-DOC-4", required, f"objective_{index}"))
    unknown = set(answers.activities_done) - activity_ids
    if unknown:
        refusals.append(
            Refusal("R-DOC-4", _("Tick only activities of this exchange's plan."), "activities")
        )
    for name in SCORE_FIELDS:
        value = getattr(answers, name)
        refusal = _score_refusal(value, name)
        if refusal:
            refusals.append(refusal)
        elif complete and value is None:
            refusals.append(Refusal("R-DOC-4", required, name))
    for name, limit in TEXT_LIMITS.items():
        value = getattr(answers, name) or ""
        if len(value) > limit:
            refusals.append(
                Refusal(
                    "R-DOC-4",
                    _("At most %(max)d characters, please (this one has %(count)d).")
                    % {"max": limit, "count": len(value)},
                    name,
                )
            )
    if complete:
        for name in YES_NO_FIELDS:
            if getattr(answers, name) is None:
                refusals.append(Refusal("R-DOC-4", required, name))
        for flag, text in (
            ("results_achieved", "results_text"),
            ("collaborations", "collaborations_text"),
        ):
            if getattr(answers, flag) and not getattr(answers, text).strip():
                refusals.append(
                    Refusal("R-DOC-4", _("Describe them in a few words, please."), text)
                )
        if not answers.follow_up.strip():
            refusals.append(Refusal("R-DOC-4", required, "follow_up"))
    return refusals


def return_comment_refusals(comment: str) -> list[Refusal]:
    """R-DOC-6: a report is returned with a comment saying what to correct (required)."""
    comment = (comment or "").strip()
    if not comment:
        return [Refusal("R-DOC-6", _("Say what the author should correct."), "comment")]
    if len(comment) > LONG_TEXT_MAX:
        return [
            Refusal(
                "R-DOC-6",
                _("At most %(max)d characters, please (this one has %(count)d).")
                % {"max": LONG_TEXT_MAX, "count": len(comment)},
                "comment",
            )
        ]
    return []
