"""The action plan editor (R-EXC-4, R-EXC-5): htmx rows with a running total.

With htmx, each action answers with the plan fragment (rows, totals, the add form with any
errors) plus an out-of-band update of the transition panel, which a plan change
can affect. Without JavaScript the same URLs work as ordinary form posts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxc_portal.core.refusals import apply_errors

from .. import selectors, services
from ..forms import ActivityForm
from ..guards import draft_edit_blockers
from ..permissions import DENIALS, can_amend_exchange, can_edit_draft
from ._helpers import flash_errors
from .exchanges import detail_context


def _plan_response(request, pk: int, *, activity_form=None, status: int = 200):
    """The fresh plan fragment (htmx) or the whole page (no JavaScript)."""
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    context = detail_context(request, exchange, activity_form=activity_form)
    if activity_form is not None and activity_form.errors and not context["panel"].can_edit:
        # The plan froze meanwhile (e.g. a colleague contracted the exchange): the form is not
        # shown any more, so its refusal goes to the messages instead of vanishing.
        for message in activity_form.non_field_errors():
            messages.error(request, message)
    if request.htmx:
        return render(request, "exchanges/partials/plan_response.html", context, status=status)
    if activity_form is not None and activity_form.errors:
        context["timeline"] = selectors.exchange_timeline(
            exchange=exchange, user=request.user, everything=request.GET.get("timeline") == "all"
        )
        return render(request, "exchanges/exchange_detail.html", context, status=status)
    return redirect(reverse("exchanges:detail", kwargs={"pk": pk}) + "#plan")


def _replace_plan(request, pk: int):
    """The whole plan, also for a request that targeted one row (htmx retargets the swap)."""
    response = _plan_response(request, pk)
    if request.htmx:
        response["HX-Retarget"] = "#plan"
        response["HX-Reswap"] = "outerHTML"
    return response


def _editable(request, pk: int):
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    if not can_edit_draft(request.user, exchange):
        raise PermissionDenied(DENIALS["edit"])
    return exchange


@login_required
def plan_fragment(request, pk: int):
    """GET: the plan fragment (used by "cancel" in a row being edited)."""
    selectors.exchange_get(user=request.user, pk=pk)
    return _plan_response(request, pk)


@require_POST
@login_required
def activity_add(request, pk: int):
    exchange = _editable(request, pk)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.exchange_activity_add(
                exchange=exchange, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            if not request.htmx:
                messages.success(request, _("Activity added to the plan."))
            return _plan_response(request, pk)
    return _plan_response(request, pk, activity_form=form)


@login_required
def activity_edit(request, pk: int, activity_id: int):
    """GET: the row's edit form; POST: save it."""
    exchange = _editable(request, pk)
    blockers = draft_edit_blockers(
        exchange,
        amendment_open=selectors.amendment_in_progress(exchange=exchange) is not None,
        may_amend=can_amend_exchange(request.user, exchange),
    )
    if blockers:
        for refusal in blockers:
            messages.error(request, refusal.text)
        return _replace_plan(request, pk)
    activity = next((a for a in exchange.activities.all() if a.pk == activity_id), None)
    if activity is None:
        messages.error(request, _("This activity is no longer in the action plan."))
        return _replace_plan(request, pk)
    # Its own ids: the row form sits on the page next to the "add" form.
    auto_id = f"id_activity{activity.pk}_%s"
    if request.method == "POST":
        form = ActivityForm(request.POST, auto_id=auto_id)
        if form.is_valid():
            try:
                services.exchange_activity_update(
                    exchange=exchange,
                    actor=request.user,
                    activity_id=activity.pk,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                if not request.htmx:
                    messages.success(request, _("Activity updated."))
                # The row form targeted its own row; the answer replaces the whole plan.
                return _replace_plan(request, pk)
    else:
        form = ActivityForm(
            auto_id=auto_id,
            initial={
                "date": activity.date,
                "activity_type": activity.activity_type,
                "title": activity.title,
                "hours": activity.hours,
                "description": activity.description,
                "is_extra": activity.is_extra,
            },
        )
    template = (
        "exchanges/partials/activity_row_form.html"
        if request.htmx
        else "exchanges/activity_form.html"
    )
    return render(request, template, {"exchange": exchange, "activity": activity, "form": form})


@require_POST
@login_required
def activity_delete(request, pk: int, activity_id: int):
    exchange = _editable(request, pk)
    try:
        services.exchange_activity_delete(
            exchange=exchange, actor=request.user, activity_id=activity_id
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if not request.htmx:
            messages.success(request, _("Activity removed from the plan."))
    return _plan_response(request, pk)


@require_POST
@login_required
def activity_approve(request, pk: int, activity_id: int):
    """R-EXC-4: the Support Office approves an extra activity."""
    exchange = selectors.exchange_get(user=request.user, pk=pk)
    try:
        services.exchange_activity_approve(
            exchange=exchange, actor=request.user, activity_id=activity_id
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if not request.htmx:
            messages.success(request, _("Extra activity approved."))
    return _plan_response(request, pk)
