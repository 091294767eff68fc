"""Every e-mail the portal sends, stored before it is sent."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One notice to one recipient.

    ``dedup_key`` is unique in the database: the same notice (same deadline, kind and
    recipient, R-DL-3) can be created only once, even by two workers racing each other. The
    e-mail itself goes out after commit, from a task that first *claims* the row (a conditional
    UPDATE that also counts the attempt), then talks to the mail server outside any transaction,
    then stamps ``sent_at`` — or stores the error and the time of the next attempt
    (``next_attempt_at``, exponential back-off) until ``settings.CXC_EMAIL_MAX_ATTEMPTS``, after
    which it is ``undeliverable_at`` and listed for the Support Office.

    States: pending (neither stamp), sent (``sent_at``), undeliverable (``undeliverable_at``).
    """

    dedup_key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(
        max_length=100, db_index=True, help_text="Dotted code, e.g. organisations.profile.validated"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True, default="")
    about = GenericForeignKey("about_type", "about_id")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # Pending only: when the next attempt is due (empty: at once).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker sending it holds it until then; past that time another worker may try again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    undeliverable_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["about_type", "about_id", "created_at"]),
            # The retry sweep reads only the pending rows.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, undeliverable_at__isnull=True),
                name="notification_pending_idx",
            ),
            # The Support Office's list of undeliverable e-mails, newest first.
            models.Index(
                fields=["-undeliverable_at"],
                condition=Q(undeliverable_at__isnull=False),
                name="notification_undeliverable_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(undeliverable_at__isnull=True),
                name="notification_sent_or_undeliverable",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email}"

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None and self.undeliverable_at is None
