"""E-mail backends for tests: a mail server that fails, and one that is slow."""

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingEmailBackend(LocmemBackend):
    """A mail server that drops the connection on every message (nothing reaches the outbox)."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowEmailBackend(LocmemBackend):
    """Delivers to ``mail.outbox``, taking its time, so two racing workers overlap."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)
