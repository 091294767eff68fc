"""One timeline for every record a page shows (an exchange, a group, an interest, a match, a
profile): its audit events and the e-mails sent about it, newest first, told to an audience.

- **Staff** (partnership staff, the Support Office) see everything: who did what, each e-mail,
  to whom, and whether it is still queued.
- **Applicants** see what happened in plain words and the e-mails sent to *themselves*; never
  another person's address, who on the staff did it, or the mail queue (issue 8, point 9).

The rooms give the words (``labels``: action code → text; ``summarise``: code, data → one line),
so this kernel module knows no room. A page costs two queries whatever the history's length
(events, e-mails; the content types are cached), and reads at most ``cap`` + 1 rows of each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from cxc_portal.accounts.roles import user_access
from cxc_portal.notifications.models import Notification

from .models import AuditEvent

#: Entries shown at once; the older ones wait behind "show all".
RECENT = 10
#: Entries read per query unless the page asks for the whole history (``?timeline=all``).
CAP = 100

_ADDRESS = re.compile(r"[^\s<>@,;:\"']+@[^\s<>@,;:\"']+")


class Audience(StrEnum):
    STAFF = "staff"
    APPLICANT = "applicant"


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "event" | "notification"
    code: str  # the audit action or the notification kind
    label: str
    actor: str = ""
    summary: str = ""
    sent: bool | None = None  # e-mails, for staff only: False while queued


@dataclass(frozen=True)
class Timeline:
    """Newest first; ``recent`` shown, ``older`` behind "show all"; ``truncated`` when more
    history exists than was read (the page links to ``?timeline=all``)."""

    entries: list[TimelineEntry] = field(default_factory=list)
    truncated: bool = False

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> TimelineEntry:
        return self.entries[index]

    @property
    def recent(self) -> list[TimelineEntry]:
        return self.entries[:RECENT]

    @property
    def older(self) -> list[TimelineEntry]:
        return self.entries[RECENT:]


def audience_for(user, *, partnership_ids: Iterable[int | None] | None = None) -> Audience:
    """Staff: the Support Office, and the staff of the partnerships in charge of the record
    (``partnership_ids``; ``None``: of any partnership). Everyone else reads as an applicant.
    No query beyond the user's access, read once per request."""
    access = user_access(user)
    if access.support_office:
        return Audience.STAFF
    if partnership_ids is None:
        return Audience.STAFF if access.staff_partnerships else Audience.APPLICANT
    return (
        Audience.STAFF if access.staff_partnerships & set(partnership_ids) else Audience.APPLICANT
    )


def _about(subjects: Iterable[models.Model], type_field: str, id_field: str) -> Q:
    ids: dict[ContentType, list[str]] = defaultdict(list)
    for subject in subjects:
        ids[ContentType.objects.get_for_model(subject)].append(str(subject.pk))
    query = Q(pk__in=[])
    for content_type, pks in ids.items():
        query |= Q(**{type_field: content_type, f"{id_field}__in": pks})
    return query


def _without_addresses(text: str) -> str:
    return _ADDRESS.sub("…", text)


def _plain_summary(code: str, data: dict) -> str:
    """The default one-line detail: the reason or note given with a decision."""
    return str(data.get("reason") or data.get("note") or "")


def timeline_for(
    *,
    subjects: models.Model | Iterable[models.Model],
    audience: Audience,
    viewer=None,
    labels: Mapping[str, Any],
    summarise: Callable[[str, dict], str] | None = None,
    everything: bool = False,
    mail: bool = True,
) -> Timeline:
    """The timeline of ``subjects`` (one record or several, e.g. a group and its exchanges)
    as ``audience`` may read it; ``viewer`` is the user reading (applicants see the e-mails
    sent to them and "you" for what they did). ``everything`` lifts the cap of ``CAP`` rows;
    ``mail=False`` leaves out e-mails (and their query) for records no e-mail is ever about."""
    if isinstance(subjects, models.Model):
        subjects = [subjects]
    subjects = list(subjects)
    summarise = summarise or _plain_summary
    staff = audience == Audience.STAFF
    limit = None if everything else CAP + 1

    events = (
        AuditEvent.objects.filter(_about(subjects, "subject_type", "subject_id"))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    notes = Notification.objects.filter(_about(subjects, "about_type", "about_id")).order_by(
        "-created_at", "-id"
    )
    if not mail:
        notes = notes.none()
    elif not staff:
        viewer_id = getattr(viewer, "pk", None)
        notes = notes.filter(recipient_id=viewer_id) if viewer_id else notes.none()
    events, notes = list(events[:limit]), list(notes[:limit])
    truncated = limit is not None and (len(events) >= limit or len(notes) >= limit)

    if truncated:
        events, notes = events[:CAP], notes[:CAP]
    entries = [
        _event_entry(event, staff=staff, viewer=viewer, labels=labels, summarise=summarise)
        for event in events
    ]
    entries += [_note_entry(note, staff=staff) for note in notes]
    # Newest first; an e-mail sorts before the event that caused it (it was created after it).
    entries.sort(key=lambda e: (e.when, e.kind == "notification"), reverse=True)
    return Timeline(entries=entries, truncated=truncated)


def _event_entry(event: AuditEvent, *, staff: bool, viewer, labels, summarise) -> TimelineEntry:
    summary = summarise(event.action, event.data or {})
    if staff:
        actor = str(event.actor) if event.actor else ""
    else:
        # Applicants never learn who on the other side or the staff did it, nor any address.
        actor = _("you") if viewer is not None and event.actor_id == viewer.pk else ""
        summary = _without_addresses(summary)
    return TimelineEntry(
        when=event.created_at,
        kind="event",
        code=event.action,
        label=str(labels.get(event.action, event.action if staff else _("Updated"))),
        actor=actor,
        summary=summary,
    )


def _note_entry(note: Notification, *, staff: bool) -> TimelineEntry:
    if staff:
        return TimelineEntry(
            when=note.created_at,
            kind="notification",
            code=note.kind,
            label=_("E-mail"),
            summary=f"{note.subject} → {note.to_email}",
            sent=note.sent_at is not None,
        )
    return TimelineEntry(
        when=note.created_at,
        kind="notification",
        code=note.kind,
        label=_("An e-mail was sent to you"),
        summary=_without_addresses(note.subject),
    )
