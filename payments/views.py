"""The payments room's pages: the public lump-sum estimator (HTML and JSON, no account) and the
Support Office's rates page (R-PAY-3). Views parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_countries import countries

from exchanges.calendar import country_name
from organisations.selectors import city_search, participating_country_codes

from .forms import LumpSumEstimateForm, RateAddForm
from .permissions import RATES_DENIED, can_manage_rates
from .selectors import lump_sum_estimate, rate_history, rate_overview
from .services import rate_add

# --- Public estimator ---------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def estimator(request):
    """R-PAY-2: the lump sum of a stay, with its explanation, for anyone.

    The same address answers HTML or JSON depending on ``format``/``Accept``: say so to caches.
    """
    response = _estimator(request)
    patch_vary_headers(response, ["Accept"])
    return response


def _estimator(request):
    today = timezone.localdate()
    # Only the estimator's own questions count as asking (not ``format``, nor a tracking tag).
    asked = any(key in LumpSumEstimateForm.base_fields for key in request.GET)
    form = LumpSumEstimateForm(
        request.GET if asked else None, participating=participating_country_codes(today=today)
    )
    estimate = None
    if form.is_valid():
        estimate = lump_sum_estimate(
            working_days=form.working_days,
            mode=form.cleaned_data["mode"],
            distance_km=form.distance(),
            visitor_city=form.visitor_city_obj,
            host_city=form.host_city_obj,
        )
        if estimate is None:
            form.add_error(
                "start",
                ValidationError(
                    _("%(country)s has no lump-sum rate on %(day)s.")
                    % {
                        "country": country_name(form.working_days.country),
                        "day": date_format(form.working_days.start, "j M Y"),
                    },
                    code="R-PAY-3",
                ),
            )
    if _wants_json(request):
        if estimate is None:
            errors = (
                form.errors.get_json_data()
                if asked
                else {
                    "__all__": [
                        {"message": "Answer the questions as query parameters.", "code": "required"}
                    ]
                }
            )
            return JsonResponse({"errors": errors}, status=400)
        return JsonResponse(estimate.as_dict())
    return render(request, "payments/estimator.html", {"form": form, "estimate": estimate})


@require_GET
def estimator_cities(request):
    """htmx: the gazetteer's cities matching what was typed, for the visitor's or the host's
    side of the estimator (public, like the estimator itself)."""
    side = request.GET.get("side")
    side = side if side in ("visitor", "host") else "host"
    country = request.GET.get(f"{side}_country", "").upper()
    if not (len(country) == 2 and country.isascii() and country.isalpha()):
        country = ""  # not a country code: ask for the country rather than query with it
    # NUL characters cannot reach PostgreSQL (it refuses them with an error, not no match).
    query = request.GET.get(f"{side}_city_name", "").replace("\x00", "")[:100]
    return render(
        request,
        "organisations/includes/city_suggestions.html",
        {"cities": city_search(country=country, query=query), "query": query, "country": country},
    )


# --- Rates (Support Office) ---------------------------------------------------------------------


def _apply_errors(form, error: ValidationError) -> None:
    """A service's refusals next to their fields (at the top when the form has no such field);
    the input stays in the bound form."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, errors in by_field.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _require_rates(user) -> None:
    if not can_manage_rates(user):
        raise PermissionDenied(RATES_DENIED)


@login_required
def rate_list(request):
    """R-PAY-3: every host country's rate today and the next one set; add a new dated rate."""
    _require_rates(request.user)
    today = timezone.localdate()
    codes = participating_country_codes(today=today)
    lines = rate_overview(user=request.user, today=today)
    codes = codes | {line.country for line in lines}
    if request.method == "POST":
        form = RateAddForm(request.POST, country_codes=codes)
        if form.is_valid():
            d = form.cleaned_data
            try:
                rate = rate_add(
                    actor=request.user,
                    country=d["country"],
                    amount=d["amount"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The rate of %(amount)s € for %(country)s from %(start)s is recorded.")
                    % {
                        "amount": rate.amount,
                        "country": country_name(rate.country.code),
                        "start": date_format(rate.valid_from, "j M Y"),
                    },
                )
                return redirect("payments:rate_history", country=rate.country.code)
    else:
        form = RateAddForm(
            initial={"country": request.GET.get("country", "").upper()}, country_codes=codes
        )
    return render(
        request,
        "payments/rate_list.html",
        {"lines": lines, "form": form, "today": today},
    )


@login_required
def rate_history_view(request, country: str):
    """R-PAY-3: one country's rates, the latest first, with who added each."""
    _require_rates(request.user)
    code = country.upper()
    if code not in countries:
        raise Http404(_("Unknown country."))
    rates = rate_history(user=request.user, country=code)
    today = timezone.localdate()
    current = next((rate for rate in rates if rate.is_valid_on(today)), None)
    return render(
        request,
        "payments/rate_history.html",
        {
            "country": code,
            "country_name": country_name(code),
            "rates": rates,
            "current_id": current.pk if current else None,
        },
    )
