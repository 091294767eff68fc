"""Bank details of a visiting organisation (R-PAY-6): entered and changed by its representatives,
every change audited (the IBAN masked) and e-mailed to all of them — a changed IBAN is the
classic fraud, so every representative hears of it, not only the one who typed it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from cxc_portal.audit.services import record
from cxc_portal.core.refusals import raise_if_refused
from cxc_portal.notifications.services import notification_send_many
from organisations.models import Organisation

from .bank import BankDetails, check_bank_details, mask_iban
from .models import BankAccount
from .permissions_files import DENIALS, can_change_bank_details
from .selectors_files import organisation_representative_users


def bank_account_save(
    *, actor, organisation: Organisation, holder: str, iban: str, bic: str = ""
) -> BankAccount:
    """R-PAY-6: create or change ``organisation``'s bank account.

    The IBAN must pass its checksum (``bank.check_bank_details``; refusals keyed by field); the
    BIC is derived from the IBAN when not typed. Runs with the organisation row locked, so two
    representatives saving at once are serialised. Saving the same details again changes nothing
    (no audit event, no e-mail). Audited as ``payments.bank_account.created`` or ``.changed``
    with the IBANs *masked* (the log is read by more people than the account); then every
    active representative of the organisation is e-mailed (after commit).
    """
    if not can_change_bank_details(actor, organisation.pk):
        raise PermissionDenied(DENIALS["bank_change"])
    checked = check_bank_details(holder=holder, iban=iban, bic=bic)
    if not isinstance(checked, BankDetails):
        raise_if_refused(checked)
    assert isinstance(checked, BankDetails)
    with transaction.atomic():
        # The organisation row serialises writers: a bank account may not exist yet to lock.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        account = BankAccount.objects.filter(organisation=organisation).first()
        before = None
        if account is not None:
            before = {"holder": account.holder, "iban": account.iban, "bic": account.bic}
            after = {"holder": checked.holder, "iban": checked.iban, "bic": checked.bic}
            if before == after:
                return account  # a double submit or no change: nothing to tell anyone
            account.holder, account.iban, account.bic = checked.holder, checked.iban, checked.bic
            account.updated_by = actor
            account.save(update_fields=["holder", "iban", "bic", "updated_by", "updated_at"])
        else:
            account = BankAccount.objects.create(
                organisation=organisation,
                holder=checked.holder,
                iban=checked.iban,
                bic=checked.bic,
                updated_by=actor,
            )
        data = {
            "holder": checked.holder,
            "iban": mask_iban(checked.iban),
            "bic": checked.bic,
            "bic_derived": checked.bic_derived,
        }
        if before is not None:
            data |= {
                "holder_before": before["holder"],
                "iban_before": mask_iban(before["iban"]),
                "bic_before": before["bic"],
                "iban_changed": before["iban"] != checked.iban,
            }
        event = record(
            actor=actor,
            action="payments.bank_account." + ("changed" if before else "created"),
            subject=organisation,
            data=data,
        )
        notification_send_many(
            recipients=organisation_representative_users(organisation_id=organisation.pk),
            kind="payments.bank_account.changed",
            about=organisation,
            # One notice per change and representative (R-DL-3 keys): the event is the occasion.
            occasion=str(event.pk),
            template="payments/email/bank_changed",
            context={
                "organisation": organisation,
                "actor": actor,
                "holder": checked.holder,
                "iban_masked": mask_iban(checked.iban),
                "iban_before_masked": mask_iban(before["iban"]) if before else "",
                "iban_changed": before is None or before["iban"] != checked.iban,
                "url": reverse("payments:bank_account", kwargs={"pk": organisation.pk}),
            },
        )
    return account
