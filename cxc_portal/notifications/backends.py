"""A console e-mail backend for development: one line per message, not the whole body.

``make run`` seeds the demo and runs the worker, which delivers a few hundred notices; Django's
console backend printed every body (about 1,900 lines) and buried the server's own output. This
one prints the recipient, the subject and the first link of the body — enough to follow a
sign-up or a password reset — and the full messages are read in the development outbox page
(``notifications:outbox``), from the stored ``Notification`` rows.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.core.mail.message import EmailMessage

#: The first web address of a body (allauth's links and the portal's are on a line of their own).
LINK = re.compile(r"https?://[^\s<>\"')\]]+")


def first_link(body: str) -> str:
    """The first link to a page of the portal, else the first link (the signature's site URL)."""
    links = LINK.findall(body)
    deep = [link for link in links if urlsplit(link).path.strip("/")]
    return (deep or links or [""])[0]


def one_line(message: EmailMessage) -> str:
    """``✉ to a@x, b@y · Subject · http://first/link`` (no link part when the body has none)."""
    link = first_link(message.body if isinstance(message.body, str) else "")
    subject = " ".join(str(message.subject).split())
    parts = [f"✉ to {', '.join(message.recipients())}", subject]
    if link:
        parts.append(link)
    return " · ".join(parts)


class OneLineConsoleBackend(ConsoleEmailBackend):
    """Writes each message as one line to the console (standard output by default)."""

    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(one_line(message) + "\n")
