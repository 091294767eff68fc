"""Every e-mail the portal sends, stored before it is sent."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Notification(models.Model):
    """One notice to one recipient.

    ``dedup_key`` is unique in the database: the same notice (same deadline, kind and
    recipient, R-DL-3) can be created only once, even by two workers racing each other. The
    e-mail itself goes out after commit, from a task that locks the row and stamps ``sent_at``.
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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["about_type", "about_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email}"
