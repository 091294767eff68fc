"""Exchange pages: the list (staff table with filters and CSV, or the applicant's own list),
encoding, the detail page with its timeline, editing a draft and the transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from cxc_portal.accounts.roles import user_roles
from cxc_portal.core.csv import csv_response
from cxc_portal.core.refusals import apply_errors

from .. import selectors, services
from ..filters import ExchangeFilter
from ..forms import (
    ActivityForm,
    AmendForm,
    CancelForm,
    ExchangeCreateForm,
    ExchangeEditForm,
)
from ..guards import draft_edit_blockers, plan_totals
from ..models import ExchangeMode, ExchangeStatus
from ..page_sections import page_banners, page_sections
from ..panel import exchange_panel
from ..permissions import (
    DENIALS,
    can_amend_exchange,
    can_create_exchange_for,
    can_create_exchanges,
    can_edit_draft,
    can_manage_group,
    can_steer_exchange,
)
from ..tables import ExchangeListPage, ExchangeTable
from ._helpers import flash_errors

PER_PAGE = 50


@login_required
def exchange_list(request):
    """Staff (and the Support Office): a filterable table with CSV export. Applicants: the
    exchanges of the organisations they represent."""
    staff_like = user_roles(request.user).is_staff_like
    if not staff_like:
        queryset = selectors.exchange_list(user=request.user)
        return render(
            request, "exchanges/exchange_list_applicant.html", {"exchanges": list(queryset)}
        )
    # The filters narrow every exchange; each read below scopes the result to the user.
    exchange_filter = ExchangeFilter(
        request.GET or None, queryset=selectors.exchange_list_filterable(), request=request
    )
    filtered = exchange_filter.qs
    export = request.GET.get("export") == "csv"
    # The page shows the columns an officer works from; ``?columns=more`` (and the CSV) all.
    more = export or request.GET.get("columns") == "more"

    def exported():
        return selectors.exchange_list_export(user=request.user, queryset=filtered)

    if export:
        table = ExchangeTable(exported(), today=timezone.localdate(), more=more)
        RequestConfig(request, paginate=False).configure(table)
        values = table.as_values()
        header = next(values)
        stamp = timezone.localdate().isoformat()
        return csv_response(f"exchanges-{stamp}.csv", header, values)
    table = ExchangeListPage(
        request=request,
        count=selectors.exchange_list_count(user=request.user, queryset=filtered),
        fetch=lambda order_by, start, stop: selectors.exchange_list_rows(
            user=request.user,
            queryset=filtered,
            order_by=order_by,
            start=start,
            stop=stop,
            more=more,
        ),
        acronyms={p.pk: p.acronym for p in exchange_filter.partnerships},
        more=more,
        data=exported,
    )
    export_query = request.GET.copy()
    export_query["export"] = "csv"
    export_query.pop("page", None)
    export_query.pop("columns", None)
    columns_query = request.GET.copy()
    columns_query.pop("page", None)
    if more:
        columns_query.pop("columns", None)
    else:
        columns_query["columns"] = "more"
    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "filter": exchange_filter,
            "table": table,
            "more_columns": more,
            "columns_query": columns_query.urlencode(),
            "export_query": export_query.urlencode(),
            "can_create": can_create_exchanges(request.user),
        },
    )


def _group_from_query(request):
    group_id = request.GET.get("group")
    if not group_id or not group_id.isdigit():
        return None
    group = selectors.group_get(user=request.user, pk=int(group_id))
    # Seeing a group (e.g. as VOP of one of its exchanges) is not managing it (R-EXC-7).
    if not can_manage_group(request.user, group):
        raise PermissionDenied(DENIALS["group"])
    return group


@login_required
def exchange_create(request):
    """Direct encoding by staff (R-EXC-6); ``?group=<id>`` starts from a group's host side,
    shared dates and plan, and puts the new draft in that group (R-EXC-7)."""
    if not can_create_exchanges(request.user):
        raise PermissionDenied(DENIALS["create"])
    group = _group_from_query(request)
    initial = {}
    if group is not None:
        initial = {
            "host": group.host_id,
            "vop": group.vop_id,
            "hop": group.hop_id,
            "start_date": group.start_date,
            "end_date": group.end_date,
            "objectives": group.plan_notes,
        }
    form = ExchangeCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.exchange_create(
                actor=request.user,
                visitor=data["visitor"],
                host=data["host"],
                vop=data["vop"],
                hop=data["hop"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                mode=data.get("mode") or ExchangeMode.PHYSICAL,
                objectives=data["objectives"],
                group=group,
            )
        except PermissionDenied as denied:
            form.add_error("vop", str(denied))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request, _("Exchange %(ref)s encoded as a draft.") % {"ref": exchange.reference}
            )
            return redirect("exchanges:detail", pk=exchange.pk)
    return render(
        request, "exchanges/exchange_form.html", {"form": form, "group": group, "mode": "create"}
    )


@login_required
def exchange_create_from_match(request, match_id: int):
    """Encode the draft of an ACCEPTED match (R-MATCH-2 → R-EXC-6): staff of its VOP or HOP."""
    match = selectors.match_get_for_exchange(match_id=match_id)
    if not can_create_exchange_for(request.user, vop_id=match.vop_id, hop_id=match.hop_id):
        raise PermissionDenied(DENIALS["create"])
    existing = selectors.exchange_for_match(match=match)
    if existing is not None:
        messages.info(request, _("This match already has an exchange."))
        return redirect("exchanges:detail", pk=existing.pk)
    interest = match.visitor_interest
    today = timezone.localdate()
    initial = {"objectives": interest.objectives}
    if interest.period_from and interest.period_from >= today:
        initial["start_date"] = interest.period_from
    form = ExchangeCreateForm(request.POST or None, match=match, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.exchange_create(
                actor=request.user,
                visitor=match.visitor,
                host=match.host,
                vop=match.vop,
                hop=match.hop,
                start_date=data["start_date"],
                end_date=data["end_date"],
                mode=data.get("mode") or ExchangeMode.PHYSICAL,
                objectives=data["objectives"],
                match=match,
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request, _("Exchange %(ref)s encoded as a draft.") % {"ref": exchange.reference}
            )
            return redirect("exchanges:detail", pk=exchange.pk)
    return render(
        request,
        "exchanges/exchange_form.html",
        {"form": form, "match": match, "mode": "create"},
    )


def detail_context(request, exchange, *, activity_form=None) -> dict:
    """Everything the detail page and its htmx fragments show (a constant number of queries:
    the exchange comes from ``selectors.exchange_get`` with its rows prefetched)."""
    today = timezone.localdate()
    panel = exchange_panel(
        user=request.user,
        exchange=exchange,
        today=today,
        amendment=selectors.amendment_in_progress(exchange=exchange),
    )
    if activity_form is None and panel.can_edit:
        activity_form = ActivityForm(initial={"date": exchange.start_date})
    return {
        "exchange": exchange,
        "panel": panel,
        "totals": plan_totals(exchange),
        "activities": list(exchange.activities.all()),
        "activity_form": activity_form,
        "can_approve_extra": user_roles(request.user).is_support_office
        and (exchange.status == ExchangeStatus.DRAFT or panel.amendment is not None),
    }


@login_required
def exchange_detail(request, pk: int):
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    context = detail_context(request, exchange)
    context["timeline"] = selectors.exchange_timeline(
        exchange=exchange, user=request.user, everything=request.GET.get("timeline") == "all"
    )
    context["page_sections"] = page_sections(request, exchange)
    context["page_banners"] = page_banners(request, exchange)
    return render(request, "exchanges/exchange_detail.html", context)


@login_required
def exchange_edit(request, pk: int):
    """Edit a draft: dates and objectives (parties and staff); parties and mode (staff who may
    approve exchanges). R-DOC-8: a contracted exchange under an amendment, by the VOP's staff:
    its dates and objectives only."""
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    if not can_edit_draft(request.user, exchange):
        raise PermissionDenied(DENIALS["edit"])
    blockers = draft_edit_blockers(
        exchange,
        amendment_open=selectors.amendment_in_progress(exchange=exchange) is not None,
        may_amend=can_amend_exchange(request.user, exchange),
    )
    if blockers:
        for refusal in blockers:
            messages.error(request, refusal.text)
        return redirect("exchanges:detail", pk=pk)
    amending = exchange.status == ExchangeStatus.CONTRACTED
    # An amendment changes the dates and objectives only (R-DOC-8): the form shows no more.
    steer = can_steer_exchange(request.user, exchange) and not amending
    initial = {
        "visitor": exchange.visitor_id,
        "host": exchange.host_id,
        "vop": exchange.vop_id,
        "hop": exchange.hop_id,
        "mode": exchange.mode,
        "start_date": exchange.start_date,
        "end_date": exchange.end_date,
        "objectives": exchange.objectives,
    }
    form = ExchangeEditForm(
        request.POST or None,
        initial=initial,
        steer=steer,
        from_match=exchange.match_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_update(exchange=exchange, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The exchange is updated."))
            return redirect("exchanges:detail", pk=pk)
    return render(
        request,
        "exchanges/exchange_form.html",
        {"form": form, "exchange": exchange, "mode": "amend" if amending else "edit"},
    )


def _transition(request, pk: int, service, success: str, **extra):
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    try:
        service(exchange=exchange, actor=request.user, **extra)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success % {"ref": exchange.reference})
    return redirect("exchanges:detail", pk=pk)


@require_POST
@login_required
def exchange_contract(request, pk: int):
    return _transition(request, pk, services.exchange_contract, _("%(ref)s is contracted."))


@require_POST
@login_required
def exchange_execute(request, pk: int):
    return _transition(
        request, pk, services.exchange_execute, _("%(ref)s is recorded as executed.")
    )


@require_POST
@login_required
def exchange_close(request, pk: int):
    return _transition(request, pk, services.exchange_close, _("%(ref)s is closed."))


@login_required
def exchange_cancel(request, pk: int):
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    if not can_steer_exchange(request.user, exchange):
        raise PermissionDenied(DENIALS["steer"])
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_cancel(
                exchange=exchange, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("%(ref)s is cancelled.") % {"ref": exchange.reference})
            return redirect("exchanges:detail", pk=pk)
    return render(request, "exchanges/exchange_cancel.html", {"form": form, "exchange": exchange})


@login_required
def exchange_amend(request, pk: int):
    """R-DOC-8: the VOP's staff open an amendment of a contracted exchange, with a reason."""
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    if not can_amend_exchange(request.user, exchange):
        raise PermissionDenied(DENIALS["amend"])
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_open(
                exchange=exchange, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request,
                _(
                    "The amendment of %(ref)s is open: change its dates or plan; the parties then "
                    "sign the new versions of the documents."
                )
                % {"ref": exchange.reference},
            )
            return redirect("exchanges:detail", pk=pk)
    return render(request, "exchanges/exchange_amend.html", {"form": form, "exchange": exchange})


@require_POST
@login_required
def exchange_amend_withdraw(request, pk: int):
    """R-DOC-8: the VOP's staff drop an amendment under which nothing was changed."""
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    if not can_amend_exchange(request.user, exchange):
        raise PermissionDenied(DENIALS["amend"])
    try:
        services.amendment_withdraw(exchange=exchange, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The amendment is withdrawn."))
    return redirect("exchanges:detail", pk=pk)
