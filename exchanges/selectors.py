"""Every read the exchange pages need, scoped to what the user may see (R-EXC-6).

Lists and details cost a constant number of queries whatever the number of exchanges,
activities, events or notifications: the related rows are joined or prefetched once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cxc_portal.audit.timeline import Timeline, audience_for, timeline_for
from organisations.choices import ProfileStatus
from organisations.models import Organisation, Representative, RepresentativeStatus
from partnerships.models import (
    ExpressionOfInterest,
    InterestStatus,
    Match,
    MatchStatus,
    Partnership,
    PartnershipStaff,
)
from partnerships.selectors import match_list_for_staff

from .models import Activity, Amendment, AmendmentStatus, Exchange, ExchangeGroup, ExchangeStatus
from .permissions import can_view_exchange, can_view_group, user_access

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

_EXCHANGE_RELATED = ("visitor", "host", "vop", "hop", "group")


def _counted_hours_annotation():
    """R-EXC-4 in SQL: hours of activities inside the stay, extras only once approved."""
    return Coalesce(
        Sum(
            "activities__hours",
            filter=Q(activities__date__gte=F("start_date"))
            & Q(activities__date__lte=F("end_date"))
            & (Q(activities__is_extra=False) | Q(activities__approved_at__isnull=False)),
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=8, decimal_places=1),
    )


def _counted_hours_subquery():
    """R-EXC-4 in SQL, as a correlated subquery: the same sum as ``_counted_hours_annotation``
    but computed for the rows the page shows only (issue 12). PostgreSQL evaluates a subquery
    of the select list after the sort and the LIMIT, and ``count()`` leaves it out: no join,
    no GROUP BY over the whole table."""
    hours = (
        Activity.objects.filter(
            exchange=OuterRef("pk"),
            date__gte=OuterRef("start_date"),
            date__lte=OuterRef("end_date"),
        )
        .filter(Q(is_extra=False) | Q(approved_at__isnull=False))
        .order_by()
        .values("exchange")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=1)),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=8, decimal_places=1),
    )


def _scope(queryset: QuerySet[Exchange], user: User) -> QuerySet[Exchange]:
    access = user_access(user)
    if access.support_office:
        return queryset
    return queryset.filter(
        Q(vop_id__in=access.staff_partnerships)
        | Q(hop_id__in=access.staff_partnerships)
        | Q(visitor_id__in=access.organisations)
        | Q(host_id__in=access.organisations)
    )


def exchange_list(*, user: User) -> QuerySet[Exchange]:
    """The exchanges ``user`` may see, with parties joined and counted hours annotated.

    Support Office: all; partnership staff: where their partnership is VOP or HOP; applicants:
    where their organisation visits or hosts (a user with several roles sees the union).
    """
    queryset = (
        _scope(Exchange.objects.all(), user)
        .select_related(*_EXCHANGE_RELATED)
        .annotate(counted_hours=_counted_hours_subquery())
        .order_by("-created_at", "-id")
    )
    return queryset


#: What a row of the staff list shows, as plain values (issue 12): the organisations' names and
#: what decides their link, never whole rows. The VOP and HOP acronyms come from the page's
#: partnership choices (no join); the group and the countries only with the more columns.
_LIST_ROW_VALUES = (
    "id",
    "reference",
    "visitor_id",
    "visitor__legal_name",
    "visitor__validating_partnership_id",
    "host_id",
    "host__legal_name",
    "host__validating_partnership_id",
    "vop_id",
    "hop_id",
    "mode",
    "start_date",
    "end_date",
    "status",
    "counted_hours",
)
_LIST_MORE_VALUES = ("visitor__country", "host__country", "group__name")


def exchange_list_filterable() -> QuerySet[Exchange]:
    """Every exchange, bare and NOT scoped: only what the staff list's filters narrow before
    ``exchange_list_rows``, ``exchange_list_count`` and ``exchange_list_export`` scope it to
    the user (never shown as such)."""
    return Exchange.objects.all()


def exchange_list_rows(
    *,
    user: User,
    queryset: QuerySet[Exchange],
    order_by: list[str],
    start: int,
    stop: int,
    more: bool,
) -> list[dict]:
    """One page of the staff list: the rows of the filtered ``queryset`` that ``user`` may see
    (``_scope``), sorted, as dicts of ``_LIST_ROW_VALUES`` (and ``_LIST_MORE_VALUES``), with the
    counted hours (R-EXC-4) summed for these rows only.

    A scoped user's list sorted by an organisation's column is one query in two steps
    (issue 12): the page's ids first — sorted and sliced, read from indexes alone where it can
    (by the visitor's name: the organisations' name index walked, each visitor's exchange probed
    in ``exchange_visitor_cover`` for its status, partnerships and host, never the table) — then
    the page's rows, joined and summed. Sorting whole rows under the scope's OR made PostgreSQL
    fetch every skipped row and start parallel workers (a partnership's closed exchanges by
    visitor, page 2: 18 ms, 3 ms in two steps). Otherwise one step: sorted by the exchange's
    own columns, its index yields the page; the Support Office's (no scope) walks the name index
    as fast in one step, and plans it sooner."""
    fields = _LIST_ROW_VALUES + (_LIST_MORE_VALUES if more else ())
    scoped = _scope(queryset, user)
    if user_access(user).support_office or not any("__" in key for key in order_by):
        rows = scoped.annotate(counted_hours=_counted_hours_subquery()).order_by(*order_by)
        return list(rows.values(*fields)[start:stop])
    page_ids = scoped.order_by(*order_by).values("pk")[start:stop]
    rows = (
        Exchange.objects.filter(pk__in=page_ids)
        .annotate(counted_hours=_counted_hours_subquery())
        .order_by(*order_by)
    )
    return list(rows.values(*fields))


def exchange_list_count(*, user: User, queryset: QuerySet[Exchange]) -> int:
    """How many exchanges of the filtered ``queryset`` ``user`` may see, in one query.

    The scope "VOP in S or HOP in S or visitor in O or host in O" is counted as disjoint parts
    — VOP in S; HOP in S and VOP not in S; … — summed: each part reads one index alone (an
    index-only scan), where the OR had to visit the table's pages (issue 12: 8 ms of a
    partnership's 16,000 exchanges at 100,000)."""
    queryset = queryset.order_by()
    access = user_access(user)
    if access.support_office:
        return queryset.count()
    scopes = [
        Q(**{f"{column}__in": ids})
        for column, ids in (
            ("vop_id", access.staff_partnerships),
            ("hop_id", access.staff_partnerships),
            ("visitor_id", access.organisations),
            ("host_id", access.organisations),
        )
        if ids
    ]
    if not scopes:
        return 0
    parts = []
    earlier = None
    for scope in scopes:
        part = queryset.filter(scope)
        if earlier is not None:
            part = part.exclude(earlier)
        parts.append(part)
        earlier = scope if earlier is None else earlier | scope
    if len(parts) == 1:
        return parts[0].count()
    sqls, params = [], []
    for part in parts:
        sql, part_params = part.values("pk").query.get_compiler(queryset.db).as_sql()
        sqls.append(f"(SELECT COUNT(*) FROM ({sql}) AS part)")
        params.extend(part_params)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(sqls), params)
        return cursor.fetchone()[0]


def exchange_list_export(*, user: User, queryset: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Every row of the filtered ``queryset`` that ``user`` may see, with the parties joined and
    the counted hours annotated (the CSV export's ``ExchangeTable``)."""
    return (
        _scope(queryset, user)
        .select_related(*_EXCHANGE_RELATED)
        .annotate(counted_hours=_counted_hours_subquery())
        .order_by("-created_at", "-id")
    )


def exchange_get(*, user: User, pk: int) -> Exchange:
    """One exchange with everything its page shows prefetched; 404 if ``user`` may not see it."""
    exchange = (
        Exchange.objects.select_related(
            *_EXCHANGE_RELATED,
            "match",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("proposed_by", "approved_by").order_by(
                    "date", "id"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if exchange is None or not can_view_exchange(user, exchange):
        raise Http404("No such exchange.")
    return exchange


def amendment_in_progress(*, exchange: Exchange) -> Amendment | None:
    """R-DOC-8: the open amendment of a contracted exchange with who opened it (one query; none
    and no query for an exchange in another state)."""
    if exchange.status != ExchangeStatus.CONTRACTED:
        return None
    return (
        Amendment.objects.select_related("opened_by")
        .filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN)
        .first()
    )


# --- timeline ------------------------------------------------------------------------------------


EVENT_LABELS = {
    "exchanges.exchange.created": _("Encoded as a draft"),
    "exchanges.exchange.updated": _("Draft changed"),
    "exchanges.exchange.contracted": _("Contracted"),
    "exchanges.exchange.executed": _("Recorded as executed"),
    "exchanges.exchange.closed": _("Closed"),
    "exchanges.exchange.cancelled": _("Cancelled"),
    "exchanges.exchange.end_flagged": _("Stay over: flagged for staff to record the execution"),
    "exchanges.exchange.group_joined": _("Joined a group"),
    "exchanges.exchange.group_left": _("Left its group"),
    "exchanges.activity.added": _("Activity added"),
    "exchanges.activity.updated": _("Activity changed"),
    "exchanges.activity.deleted": _("Activity removed"),
    "exchanges.activity.approved": _("Extra activity approved by the Support Office"),
    "exchanges.signature.recorded": _("Signature recorded"),
    "exchanges.signature.withdrawn": _("Signature withdrawn"),
    "exchanges.signature.invalidated": _("Signatures withdrawn: the exchange changed"),
    # R-DOC-8
    "exchanges.amendment.opened": _("Amendment opened"),
    "exchanges.amendment.signed": _("Amendment signed by every party: closed"),
    "exchanges.amendment.withdrawn": _("Amendment withdrawn"),
    "exchanges.group.created": _("Group created"),
    "exchanges.group.updated": _("Group changed"),
    "exchanges.group.exchange_added": _("Exchange added"),
    "exchanges.group.exchange_removed": _("Exchange removed"),
    "exchanges.group.bulk_applied": _("Bulk action"),
    # Events the payments room records about an exchange (strings only: no import upwards).
    "payments.payment.fixed": _("Lump sum fixed at contracting"),
    "payments.payment.due": _("Payment due"),
    "payments.payment.paid": _("Payment recorded as paid"),
    "payments.payment.amended": _("Lump sum changed by the signed amendment"),
    "payments.evidence.accepted": _("Evidence accepted"),
    "payments.evidence.rejected": _("Evidence rejected"),
    # Events the reports room records about an exchange (R-DOC-4, R-DOC-6).
    "reports.far.drafted": _("Final activity report started"),
    "reports.far.submitted": _("Final activity report submitted"),
    "reports.far.returned": _("Final activity report returned for a correction"),
    "reports.far.validated": _("Final activity report validated"),
    # ... and the documents room (R-DOC-2, R-DOC-3, R-DOC-5).
    "reports.signature.added": _("Document signed"),
    "reports.signature.voided": _("Signatures void: a new version of the document replaced it"),
}


def _summary(code: str, data: dict) -> str:
    """A one-line detail of an audit event, from its data."""
    if not data:
        return ""
    if "reason" in data:
        return str(data["reason"])
    if "changes" in data:
        return "; ".join(f"{field}: {old} → {new}" for field, (old, new) in data["changes"].items())
    if "title" in data:
        return f"{data.get('date', '')} · {data['title']} · {data.get('hours', '')} h"
    if "after" in data:
        after = data["after"]
        return f"{after.get('date', '')} · {after.get('title', '')} · {after.get('hours', '')} h"
    if "signatures" in data:  # before "document": a voiding names the document too
        return ", ".join(str(s).upper() for s in data["signatures"])
    if "document" in data:
        return f"{str(data['document']).upper()} · {str(data.get('party', '')).upper()}"
    if "exchange" in data:
        return str(data["exchange"])
    if "exchanges" in data:
        return f"{data.get('action', '')}: {', '.join(data['exchanges'])}"
    if "name" in data:
        return str(data["name"])
    return ""


def _timeline(record, *, user, everything: bool, mail: bool = True) -> Timeline:
    return timeline_for(
        subjects=record,
        audience=audience_for(user, partnership_ids=(record.vop_id, record.hop_id)),
        viewer=user,
        labels=EVENT_LABELS,
        summarise=_summary,
        everything=everything,
        mail=mail,
    )


def exchange_timeline(*, exchange: Exchange, user, everything: bool = False) -> Timeline:
    """Every audit event (transitions included) and every e-mail about ``exchange``, newest
    first, as ``user`` may read it: the staff of its VOP and HOP and the Support Office see who
    did what and each e-mail's recipient; the parties plain words and their own e-mails (issue
    8, point 9). Two queries."""
    return _timeline(exchange, user=user, everything=everything)


# --- choices for the forms -----------------------------------------------------------------------


def organisation_choices() -> QuerySet[Organisation]:
    """Validated organisations (R-ELIG-5): the only ones that can take part."""
    return Organisation.objects.filter(status=ProfileStatus.VALIDATED).order_by("legal_name")


def partnership_choices() -> QuerySet[Partnership]:
    return Partnership.objects.order_by("acronym")


def steerable_partnership_choices(*, user: User) -> QuerySet[Partnership]:
    """Partnerships the user may encode exchanges for (can_approve_exchanges)."""
    return Partnership.objects.filter(pk__in=user_access(user).approver_partnerships).order_by(
        "acronym"
    )


def match_get_for_exchange(*, match_id: int) -> Match:
    """An ACCEPTED match, to prefill an exchange draft; 404 otherwise (permission is the
    view's: staff of its VOP or HOP)."""
    match = (
        Match.objects.select_related("visitor", "host", "vop", "hop", "visitor_interest")
        .filter(pk=match_id, status=MatchStatus.ACCEPTED)
        .first()
    )
    if match is None:
        raise Http404("No such accepted match.")
    return match


def exchange_for_match(*, match: Match) -> Exchange | None:
    return Exchange.objects.filter(match=match).first()


# --- recipients ----------------------------------------------------------------------------------


def exchange_party_users(*, exchange: Exchange) -> list:
    """Active representatives of the visitor and the host (their users)."""
    reps = Representative.objects.filter(
        organisation_id__in=[exchange.visitor_id, exchange.host_id],
        status=RepresentativeStatus.ACTIVE,
    ).select_related("user")
    return [rep.user for rep in reps if rep.user.is_active]


def exchange_staff_users(*, exchange: Exchange, vop_only: bool = False) -> list:
    """Staff of the VOP and HOP who may approve exchanges (their users)."""
    partnerships = [exchange.vop_id] if vop_only else [exchange.vop_id, exchange.hop_id]
    rows = PartnershipStaff.objects.filter(
        partnership_id__in=partnerships, can_approve_exchanges=True
    ).select_related("user")
    return [row.user for row in rows if row.user.is_active]


# --- time-driven work ----------------------------------------------------------------------------


def exchange_ids_past_end(*, today: date) -> list[int]:
    """Contracted exchanges whose stay is over and that were not flagged yet (R-EXC-2)."""
    return list(
        Exchange.objects.filter(
            status=ExchangeStatus.CONTRACTED, end_date__lt=today, end_flagged_at__isnull=True
        )
        .order_by("end_date", "id")
        .values_list("id", flat=True)
    )


# --- groups --------------------------------------------------------------------------------------


def group_list(*, user: User) -> QuerySet[ExchangeGroup]:
    """Groups of the user's partnerships (Support Office: all), with their exchange counts."""
    access = user_access(user)
    qs = ExchangeGroup.objects.all()
    if not access.support_office:
        # A subquery, not a join: the counts below must see all of a group's exchanges.
        with_their_visitors = Exchange.objects.filter(
            vop_id__in=access.staff_partnerships, group__isnull=False
        ).values("group_id")
        qs = qs.filter(
            Q(vop_id__in=access.staff_partnerships)
            | Q(hop_id__in=access.staff_partnerships)
            | Q(pk__in=with_their_visitors)
        )
    return (
        qs.select_related("host", "vop", "hop")
        .annotate(
            exchange_count=Count("exchanges", distinct=True),
            draft_count=Count(
                "exchanges", filter=Q(exchanges__status=ExchangeStatus.DRAFT), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


def group_get(*, user: User, pk: int) -> ExchangeGroup:
    """One group with its exchanges (parties joined, hours annotated); 404 if not visible."""
    group = (
        ExchangeGroup.objects.select_related("host", "vop", "hop", "created_by")
        .prefetch_related(
            Prefetch(
                "exchanges",
                queryset=Exchange.objects.select_related(*_EXCHANGE_RELATED)
                .annotate(counted_hours=_counted_hours_annotation())
                .order_by("start_date", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if group is None or not can_view_group(user, group):
        raise Http404("No such group.")
    return group


def group_candidate_exchanges(*, user: User, group: ExchangeGroup) -> QuerySet[Exchange]:
    """Drafts the user sees that could join ``group``: same host side, in no group (R-EXC-7)."""
    return (
        _scope(Exchange.objects.all(), user)
        .filter(
            status=ExchangeStatus.DRAFT,
            group__isnull=True,
            host_id=group.host_id,
            hop_id=group.hop_id,
        )
        .select_related("visitor")
        .order_by("reference")
    )


def group_timeline(*, group: ExchangeGroup, user, everything: bool = False) -> Timeline:
    """The group's own history (created, changed, exchanges added, bulk actions), newest
    first, as ``user`` may read it (see ``exchange_timeline``). No e-mail is about a group:
    one query."""
    return _timeline(group, user=user, everything=everything, mail=False)


def exchanges_for_bulk(*, group: ExchangeGroup, ids: list[int]) -> list[Exchange]:
    """The group's exchanges among ``ids`` (ids of other groups are ignored)."""
    return list(Exchange.objects.filter(group=group, pk__in=ids).order_by("pk"))


def partnership_in_charge_ids(*, organisation: Organisation, role: str) -> frozenset[int]:
    """The partnerships that may act as VOP (role visitor) or HOP (role host) for
    ``organisation``: those that accepted its expression of interest for that role (R-PART-2),
    and the partnership that validated its profile (R-ELIG-5). One query."""
    ids = set(
        ExpressionOfInterest.objects.filter(
            organisation=organisation, role=role, status=InterestStatus.ACCEPTED
        ).values_list("partnership_id", flat=True)
    )
    if organisation.validating_partnership_id:
        ids.add(organisation.validating_partnership_id)
    return frozenset(ids)


# --- counts for the home page --------------------------------------------------------------------


def exchange_count_by_status(*, user: User) -> dict[str, int]:
    """How many exchanges ``user`` may see in each state, every state listed (one query)."""
    visible = _scope(Exchange.objects.all(), user).order_by().values("pk")
    rows = (
        Exchange.objects.filter(pk__in=visible).order_by().values("status").annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in ExchangeStatus.values}


def exchange_count_ended(*, user: User) -> int:
    """Contracted exchanges ``user`` may see whose stay is over (flagged by the daily task,
    R-EXC-2): they wait for the staff to mark them executed."""
    return (
        _scope(Exchange.objects.all(), user)
        .filter(status=ExchangeStatus.CONTRACTED, end_flagged_at__isnull=False)
        .count()
    )


def match_count_to_encode(*, user: User) -> int:
    """Confirmed matches of ``user``'s partnerships with no exchange encoded yet (R-EXC-6).

    Asked here, not in partnerships: whether an exchange exists is this room's fact.
    """
    return (
        match_list_for_staff(user=user).filter(status=MatchStatus.ACCEPTED, encoded=False).count()
    )


# --- the applicant's journey ---------------------------------------------------------------------

_OPEN_STATUSES = (ExchangeStatus.DRAFT, ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED)


def exchange_list_for_journey(*, user: User) -> list[Exchange]:
    """The exchanges the applicant's journey is about, for the organisations ``user`` actively
    represents: each one's visit (at most one not cancelled, R-ELIG-11, closed included: its
    payment may still be on its way) and its hostings not closed yet, the stay starting soonest
    first. One query, bounded by the user's own organisations' exchanges."""
    organisations = user_access(user).organisations
    if not organisations:
        return []
    return list(
        Exchange.objects.filter(
            (Q(visitor_id__in=organisations) & ~Q(status=ExchangeStatus.CANCELLED))
            | (Q(host_id__in=organisations) & Q(status__in=_OPEN_STATUSES))
        )
        .select_related("visitor", "host", "vop", "hop")
        .order_by("start_date", "pk")
    )
