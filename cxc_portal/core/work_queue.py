"""The work queue: what waits for a user now, one section per kind of work, from every room.

The home page (wiring) shows it; the rooms fill it without importing upwards: each registers
its sections in its ``AppConfig.ready()`` with :func:`register_queue_section`, exactly as the
rooms above ``exchanges`` register transition gates. A section's *provider* is called with a
:class:`QueueRequest` and returns a :class:`QueueSlice` (its total count and its first
``request.limit`` items, most urgent first) — or ``None`` when the section is not this user's
business (a staff member who may not validate profiles has no "profiles to validate" section).

Speed (issue 12): a provider costs one or two bounded queries whatever the data — a COUNT and
a LIMITed SELECT on an indexed sort key —, never a loop over a queryset.

Audiences: ``staff`` sections are asked for users who work for a partnership, and scope
themselves to those partnerships; ``support_office`` sections (programme-wide) for the
Support Office and superusers. A user with both roles sees both.

Registration slots not filled by this module's rooms yet (the reports room fills them when its
documents and final reports land; the keys and orders are fixed here so the page's order does
not depend on who registers first):

=============================  ==============  =====  =========================================
key                            audience        order  what
=============================  ==============  =====  =========================================
``reports.documents_to_sign``  staff           40     CTQ/FA versions waiting for the user's
                                                      partnership's signature (HOP/VOP)
``reports.far_to_validate``    staff           70     final reports submitted, to validate or
                                                      return (R-DOC-6), overdue ones first
``reports.far_overdue``        staff           75     final reports not submitted 7 days after
                                                      the stay (R-DOC-4, R-DL-1)
``reports.far_overdue_all``    support_office  130    the same across partnerships
``reports.pdf_failures``       support_office  145    PDFs (renderings, seals) given up on
=============================  ==============  =====  =========================================

The applicant's journey has two such slots too (:func:`register_journey_step`): ``documents``
and ``report`` (see ``JOURNEY_STEPS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

#: How many items a section shows on the home page (then "see all N").
DEFAULT_LIMIT = 10


class Audience(StrEnum):
    STAFF = "staff"
    SUPPORT_OFFICE = "support_office"


@dataclass(frozen=True)
class QueueRequest:
    """What a provider is asked with: who, which day, how many items at most."""

    user: Any
    today: date
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class QueueItem:
    """One piece of work: ``what`` to do, ``subject`` (the exchange or organisation), ``url``
    where it is done, and either how long it has waited (``since``) or when it is due (``due``)
    — or both. ``detail`` says more (e.g. which thing a draft is missing)."""

    what: str
    subject: str
    url: str
    since: date | None = None
    due: date | None = None
    detail: str = ""
    #: Set by :func:`work_queue` from ``today``.
    today: date | None = None

    @property
    def days_waiting(self) -> int | None:
        if self.since is None or self.today is None:
            return None
        return max((self.today - self.since).days, 0)

    @property
    def is_overdue(self) -> bool:
        """Past its due date (the due day itself is not late yet)."""
        return self.due is not None and self.today is not None and self.due < self.today

    @property
    def days_overdue(self) -> int:
        if not self.is_overdue:
            return 0
        assert self.due is not None and self.today is not None
        return (self.today - self.due).days


@dataclass(frozen=True)
class QueueSlice:
    """What a provider returns: the total and the first items (at most ``limit``)."""

    count: int
    items: list[QueueItem]
    #: The filtered list with every item ("see all N"), when one exists.
    see_all_url: str = ""


Provider = Callable[[QueueRequest], "QueueSlice | None"]


@dataclass(frozen=True)
class QueueSectionSpec:
    key: str
    title: str | Promise
    provider: Provider
    audience: Audience
    order: int


@dataclass(frozen=True)
class QueueSection:
    """One section as the page shows it."""

    key: str
    title: str
    count: int
    items: list[QueueItem]
    see_all_url: str = ""

    @property
    def more(self) -> bool:
        return self.count > len(self.items)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.is_overdue)


@dataclass(frozen=True)
class WorkQueue:
    sections: list[QueueSection] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def waiting(self) -> list[QueueSection]:
        return [section for section in self.sections if section.count]

    @property
    def empty(self) -> list[QueueSection]:
        return [section for section in self.sections if not section.count]


_sections: dict[str, QueueSectionSpec] = {}


def register_queue_section(
    key: str, title: str | Promise, provider: Provider, *, audience: Audience | str, order: int
) -> None:
    """Add a section (registering the same key again replaces it: ``ready()`` may run twice).

    ``title`` may be a lazy translation; ``order`` places it (lower first): organisations 10-19,
    partnerships 20-29, exchanges 30-59, reports 40 and 70-79, payments 80-99, the Support
    Office's sections 100 and up.
    """
    _sections[key] = QueueSectionSpec(key, title, provider, Audience(audience), order)


def unregister_queue_section(key: str) -> None:
    _sections.pop(key, None)


@contextmanager
def temporary_queue_section(
    key: str, title: str | Promise, provider: Provider, *, audience: Audience | str, order: int
) -> Iterator[None]:
    """Register a section for the ``with`` block only (for tests)."""
    previous = _sections.get(key)
    register_queue_section(key, title, provider, audience=audience, order=order)
    try:
        yield
    finally:
        unregister_queue_section(key)
        if previous is not None:
            _sections[key] = previous


def registered_sections() -> list[QueueSectionSpec]:
    return sorted(_sections.values(), key=lambda spec: (spec.order, spec.key))


def work_queue(
    *, user: Any, today: date, staff: bool, support_office: bool, limit: int = DEFAULT_LIMIT
) -> WorkQueue:
    """Every registered section for this user's audiences, in order, each item dated."""
    audiences = set()
    if staff:
        audiences.add(Audience.STAFF)
    if support_office:
        audiences.add(Audience.SUPPORT_OFFICE)
    request = QueueRequest(user=user, today=today, limit=limit)
    sections: list[QueueSection] = []
    for spec in registered_sections():
        if spec.audience not in audiences:
            continue
        result = spec.provider(request)
        if result is None:
            continue
        items = [_dated(item, today) for item in result.items[:limit]]
        sections.append(
            QueueSection(spec.key, str(spec.title), result.count, items, result.see_all_url)
        )
    return WorkQueue(sections)


def _dated(item: QueueItem, today: date) -> QueueItem:
    from dataclasses import replace

    return replace(item, today=today)


# --- the applicant's journey -----------------------------------------------------------------


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"
    NOT_APPLICABLE = "n/a"


#: The journey of an organisation, in order (issue 13). ``documents`` and ``report`` are the
#: reports room's slots: without a registered refinement the home page derives them from the
#: exchange's state and dates.
JOURNEY_STEPS: tuple[str, ...] = (
    "profile",
    "interest",
    "match",
    "exchange",
    "documents",
    "stay",
    "report",
    "evidence",
    "payment",
)


@dataclass(frozen=True)
class NextStep:
    """The one thing to do next for a journey step, with its link and deadline."""

    text: str
    url: str = ""
    due: date | None = None


#: A refinement of one journey step for a batch of exchanges: given the user, today and the
#: exchanges the journey is about, return ``{exchange_id: NextStep}`` for those where the room
#: knows better than the exchange's state (one or two queries for the whole batch).
JourneyRefinement = Callable[[Any, date, list[Any]], dict[int, NextStep]]

_journey: dict[str, JourneyRefinement] = {}


def register_journey_step(step: str, refine: JourneyRefinement) -> None:
    """Let a room say what the next action of ``step`` is (slot for ``documents`` and
    ``report``, filled by the reports room)."""
    if step not in JOURNEY_STEPS:
        raise ValueError(f"No journey step {step!r}: the steps are {', '.join(JOURNEY_STEPS)}.")
    _journey[step] = refine


def unregister_journey_step(step: str) -> None:
    _journey.pop(step, None)


def journey_refinement(step: str) -> JourneyRefinement | None:
    return _journey.get(step)


def local_day(moment):
    """The local calendar day of a stored moment (``None`` stays ``None``): what a queue item
    shows as the day a thing started waiting."""
    return timezone.localdate(moment) if moment is not None else None
