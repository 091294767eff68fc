"""Lump-sum rates (R-PAY-3). Payments, bank details and evidence come with a later wave."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cxc_portal.core.periods import DatedPeriod, period_ordered_constraint


class LumpSumRate(DatedPeriod):
    """R-PAY-3: the lump sum of a host country, in euro, valid from one day until another.

    The rate is also the country's threshold (R-PAY-1). Invariants held by the database: the
    period is ordered, the amount is positive, and two rates of one country never overlap
    (``NoOverlap`` in migration 0001: an exclusion constraint on PostgreSQL, triggers on
    SQLite). Rows are added by ``services.rate_add`` (which ends the current open-ended rate),
    never edited in place.
    """

    country = CountryField(_("host country"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=8, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    period_partition = ("country",)
    period_overlap_name = "lump_sum_rate_no_overlap"

    class Meta:
        ordering = ["country", "-valid_from"]
        verbose_name = _("lump-sum rate")
        verbose_name_plural = _("lump-sum rates")
        constraints = [
            period_ordered_constraint("lump_sum_rate_period_ordered"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lump_sum_rate_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["country", "valid_from"], name="lump_sum_rate_country_from")
        ]

    def __str__(self) -> str:
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.country.code} {self.amount} EUR ({self.valid_from.isoformat()} – {until})"
