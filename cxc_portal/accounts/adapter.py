"""django-allauth adapter: account e-mails go through the portal's one notification service."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model

from cxc_portal.notifications.services import notification_send_rendered


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message as usual, then store and send it like every other e-mail.

        Each account e-mail (verification, password reset…) is a new notice, so its key is
        unique per sending; it is stored, visible in the admin, and delivered by the worker.
        """
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        msg = self.render_mail(template_prefix, email, ctx)
        user = context.get("user")
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
        kind = "accounts." + template_prefix.rsplit("/", 1)[-1].replace("_", ".")
        notification_send_rendered(
            key=f"{template_prefix}:{email}:{uuid.uuid4().hex}",
            kind=kind[:100],
            to_email=email,
            subject=msg.subject,
            body=msg.body,
            recipient=user if getattr(user, "pk", None) else None,
        )
