"""Reads of the dashboards, scoped by the user (issue 13): the Support Office sees every
partnership; partnership staff only the partnerships they work for (any other is a 404, as if
it did not exist); nobody else has a dashboard."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from cxc_portal.accounts.roles import user_access
from partnerships.models import Partnership


def dashboard_partnerships(*, user: Any) -> list[Partnership]:
    """The partnerships whose dashboard ``user`` may open, by acronym (one query)."""
    access = user_access(user)
    rows = Partnership.objects.order_by("acronym")
    if not access.support_office:
        rows = rows.filter(pk__in=access.staff_partnerships)
    return list(rows)


def dashboard_partnership_get(*, user: Any, slug: str) -> Partnership:
    """The partnership ``slug`` if ``user`` may see its dashboard; else 404."""
    access = user_access(user)
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None or not (
        access.support_office or partnership.pk in access.staff_partnerships
    ):
        raise Http404("No such partnership.")
    return partnership
