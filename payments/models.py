"""Lump-sum rates (R-PAY-3), payments (R-PAY-4, R-PAY-5), bank details and evidence (R-PAY-4)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cxc_portal.core.periods import DatedPeriod, period_ordered_constraint
from exchanges.models import Exchange
from organisations.models import Organisation
from partnerships.models import Partnership


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


class PaymentStatus(models.TextChoices):
    """R-PAY-4: pending until the exchange is closed, then due (within ``CXC_PAYMENT_DAYS``),
    then paid. "Overdue" is not a status: it is derived from the due date."""

    PENDING = "pending", _("Pending")
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")


class PaymentQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date) -> PaymentQuerySet:
        """R-PAY-4: due payments whose due date has passed (uses the status/due-date index)."""
        return self.filter(status=PaymentStatus.DUE, due_date__lt=today)


class Payment(models.Model):
    """R-PAY-5: the lump sum of one *physical* exchange (R-EXC-8: a virtual one has no row).

    The amount and its explanation are fixed when the exchange is contracted and never
    recomputed, even when the rates change afterwards. R-PAY-4: the payment becomes due when the
    exchange is closed, ``CXC_PAYMENT_DAYS`` days later; it is overdue after its due date.
    """

    exchange = models.OneToOneField(Exchange, on_delete=models.PROTECT, related_name="payment")
    #: R-PAY-4: the partnership that pays it, the exchange's VOP (fixed once contracted, when
    #: the row is made), copied on the first save: the work queue's payments due are read
    #: from the partial index below, without the exchanges.
    vop = models.ForeignKey(
        Partnership, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=8, decimal_places=2)
    # The explanation of the amount, as computed at contracting (payments.lump_sum).
    rate = models.DecimalField(_("rate (EUR)"), max_digits=8, decimal_places=2)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    halved = models.BooleanField(_("halved"), default=False)
    reasons = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        help_text=_("Why the amount is below the rate: a list of {rule, text}."),
    )
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=140, blank=True, default="")
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID)
                | (Q(paid_on__isnull=False) & ~Q(reference="")),
                name="payment_paid_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(status=PaymentStatus.PENDING) | Q(due_date__isnull=False),
                name="payment_due_has_due_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="payment_status_due"),
            # The work queue's payments due (issue 13): a VOP's, the earliest due date first.
            models.Index(
                fields=["vop", "due_date", "id"],
                condition=Q(status=PaymentStatus.DUE),
                name="payment_due_by_vop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.amount} EUR ({self.status})"

    def save(self, *args, **kwargs) -> None:
        if self.vop_id is None and self.exchange_id is not None:
            self.vop_id = self.exchange.vop_id
        super().save(*args, **kwargs)

    def is_overdue(self, today: datetime.date) -> bool:
        """R-PAY-4: due, and the due date has passed."""
        return (
            self.status == PaymentStatus.DUE and self.due_date is not None and self.due_date < today
        )


class BankAccount(models.Model):
    """The visitor organisation's bank account, to which its lump sums are paid (R-PAY-4).

    ``iban`` is stored normalised (upper case, no spaces)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="bank_account"
    )
    holder = models.CharField(_("account holder"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return f"{self.holder} …{self.iban[-4:]}"


class EvidenceKind(models.TextChoices):
    BOARDING_PASS = "boarding_pass", _("Boarding pass")
    TRAVEL_INVOICE = "travel_invoice", _("Travel invoice")
    ACCOMMODATION_INVOICE = "accommodation_invoice", _("Accommodation invoice")
    OTHER = "other", _("Other proof")


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Evidence(models.Model):
    """R-PAY-4 (c): a proof that the stay took place, uploaded by the visitor, reviewed by the
    VOP. The file lives under ``MEDIA_ROOT`` (``file`` is the storage name given by
    ``cxc_portal.core.uploads.private_file_save``) and is served only by a permission-checked
    view through ``cxc_portal.core.downloads``."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="evidence")
    file = models.CharField(max_length=255)
    original_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["exchange", "status"], name="evidence_exchange_status"),
            # The work queue (issue 13): the evidence pending review, oldest first.
            models.Index(fields=["status", "uploaded_at"], name="evidence_status_uploaded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
