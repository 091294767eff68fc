"""The signing page (R-DOC-2, R-DOC-3, R-DOC-5, R-ELIG-10): a signatory types their full name and
confirms; the POST needs a recent re-authentication through allauth (password or TOTP).

Without one, allauth's ``reauthentication_required`` stops the POST before anything happens,
**keeps the posted form** (the typed name included) in the session and sends the signer to
allauth's re-authentication page (``account_reauthenticate``, or ``mfa_reauthenticate``); once
they pass it, allauth replays the kept POST here, and the signature is recorded then — the
signer does not type their name twice. A refusal shows the page again with the message next
to the field and the name as typed. The inline form of the exchange page's document card posts
here too; a GET shows the same form on a page of its own (no JavaScript needed).
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import apply_errors
from exchanges.models import ExchangeStatus, Party

from . import signing
from .forms import SignForm
from .models import DocumentKind
from .permissions import FA_DENIED, can_read_document_kind, can_read_documents
from .selectors import document_get
from .services_signing import signature_add


@login_required
@reauthentication_required(allow_get=True)
def signature_add_view(request, pk: int, party: str):
    document = document_get(pk)
    # 404 to whoever may not read the documents: as if the document did not exist.
    if (
        document is None
        or party not in Party.values
        or not can_read_documents(request.user, document.exchange)
    ):
        raise Http404
    exchange = document.exchange
    if not can_read_document_kind(request.user, exchange, document.kind):
        raise PermissionDenied(FA_DENIED)  # R-DOC-3
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_draft = exchange.status == ExchangeStatus.DRAFT
        try:
            signature_add(
                actor=request.user,
                document=document.pk,
                party=party,
                typed_name=form.cleaned_data["typed_name"],
                # The client's address, not a proxy's (TRUSTED_PROXY_COUNT, as allauth's limits).
                ip=get_account_adapter().get_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            exchange.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("You signed version %(version)d of the %(document)s as %(party)s.")
                % {
                    "version": document.version,
                    "document": DocumentKind(document.kind).label,
                    "party": signing.party_short(party),
                },
            )
            if was_draft and exchange.status == ExchangeStatus.CONTRACTED:
                messages.success(
                    request,
                    _("Every signature is in: the exchange %(ref)s is now contracted.")
                    % {"ref": exchange.reference},
                )
            return redirect(reverse("exchanges:detail", kwargs={"pk": exchange.pk}) + "#documents")
    return render(
        request,
        "reports/sign.html",
        {
            "document": document,
            "exchange": exchange,
            "party": party,
            "party_label": Party(party).label,
            "form": form,
        },
    )
