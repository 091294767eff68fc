"""The public eligibility checker at /eligibility/: HTML and JSON, no account needed."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from ..eligibility import evaluate
from ..forms import EligibilityCheckForm
from ..selectors import participating_country_codes


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def eligibility_check(request):
    """R-ELIG-12: "can visit / can host", with every reason, from a few answers.

    The answers become ``OrganisationFacts`` for the one engine (``eligibility.evaluate``).
    The same address answers HTML or JSON depending on ``Accept``: say so to caches.
    """
    response = _eligibility_check(request)
    patch_vary_headers(response, ["Accept"])
    return response


def _eligibility_check(request):
    today = timezone.localdate()
    # Only the checker's own questions count as asking (not ``format``, nor a tracking tag).
    asked = any(key in EligibilityCheckForm.base_fields for key in request.GET)
    form = EligibilityCheckForm(request.GET if asked else None)
    verdict = None
    if form.is_valid():
        verdict = evaluate(
            form.to_facts(),
            participating_countries=participating_country_codes(today=today),
            today=today,
        )
    if _wants_json(request):
        if verdict is None:
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
        return JsonResponse(
            {
                "date": today.isoformat(),
                "can_visit": verdict.visitor.allowed,
                "can_host": verdict.host.allowed,
                **verdict.as_dict(),
            }
        )
    return render(
        request, "organisations/eligibility_check.html", {"form": form, "verdict": verdict}
    )
