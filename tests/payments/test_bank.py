"""Bank details (R-PAY-6): the IBAN checked by its checksum, the BIC derived, every change
audited with the IBAN masked and e-mailed to all the visitor's representatives; bad input is
refused next to its field, the input kept, nothing saved."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from organisations.models import RepresentativeStatus
from payments.bank import BankDetails, check_bank_details, mask_iban
from payments.models import BankAccount
from payments.services_bank import bank_account_save
from tests.factories import RepresentativeFactory
from tests.payments.files_helpers import (
    BIC_DE,
    IBAN_BAD_CHECKSUM,
    IBAN_BE,
    IBAN_DE,
    scene,
)

pytestmark = pytest.mark.django_db


# --- the pure rule ------------------------------------------------------------------------------


def test_r_pay_6_checksum_refused_and_bic_derived():
    """R-PAY-6: a mistyped digit fails the IBAN checksum; a German IBAN gives its bank's BIC;
    spaces and lower case are normalised."""
    refusals = check_bank_details(holder="ACME", iban=IBAN_BAD_CHECKSUM)
    assert [(r.rule, r.field) for r in refusals] == [("R-PAY-6", "iban")]
    assert "check digits" in refusals[0].text
    details = check_bank_details(holder=" ACME  GmbH ", iban="de89 3704 0044 0532 0130 00")
    assert details == BankDetails("ACME GmbH", IBAN_DE, BIC_DE, bic_derived=True)
    typed = check_bank_details(holder="ACME", iban=IBAN_BE, bic="gebabebb")
    assert typed == BankDetails("ACME", IBAN_BE, "GEBABEBB", bic_derived=False)
    assert [r.field for r in check_bank_details(holder="", iban="", bic="XX")] == [
        "holder",
        "iban",
        "bic",
    ]


def test_r_pay_6_mask_keeps_only_the_last_four_characters():
    """R-PAY-6: others see the last four characters only."""
    assert mask_iban(IBAN_BE) == "•••• •••• •••• 7034"
    assert IBAN_BE[:-4] not in mask_iban(IBAN_BE).replace(" ", "")
    assert mask_iban("") == ""


# --- the service --------------------------------------------------------------------------------


def test_r_pay_6_save_audits_masked_and_mails_every_representative(
    django_capture_on_commit_callbacks,
):
    """R-PAY-6: a change is audited without the full IBAN and e-mailed to every active
    representative of the organisation (not only the one who typed it); a pending one is not
    told."""
    s = scene()
    organisation = s.exchange.visitor
    colleague = RepresentativeFactory(organisation=organisation).user
    RepresentativeFactory(organisation=organisation, status=RepresentativeStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        account = bank_account_save(
            actor=s.visitor_rep, organisation=organisation, holder="Org", iban=IBAN_DE
        )
    assert (account.iban, account.bic, account.updated_by) == (IBAN_DE, BIC_DE, s.visitor_rep)
    event = AuditEvent.objects.get(action="payments.bank_account.created")
    assert event.data["iban"] == mask_iban(IBAN_DE)
    assert IBAN_DE[4:-4] not in str(event.data)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([s.visitor_rep.email, colleague.email])
    assert all(IBAN_DE[4:-4] not in m.body for m in mail.outbox)
    assert all(mask_iban(IBAN_DE) in m.body for m in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bank_account_save(actor=colleague, organisation=organisation, holder="Org", iban=IBAN_BE)
    changed = AuditEvent.objects.get(action="payments.bank_account.changed")
    assert changed.data["iban_before"] == mask_iban(IBAN_DE)
    assert changed.data["iban"] == mask_iban(IBAN_BE)
    assert changed.data["iban_changed"] is True
    assert len(mail.outbox) == 2  # each change is told again, to both
    assert "Previous IBAN" in mail.outbox[0].body


def test_r_pay_6_saving_the_same_details_again_changes_nothing(django_capture_on_commit_callbacks):
    """R-PAY-6: a double submit records one change and sends one e-mail per representative."""
    s = scene()
    organisation = s.exchange.visitor
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            bank_account_save(
                actor=s.visitor_rep, organisation=organisation, holder="Org", iban=IBAN_BE
            )
    assert AuditEvent.objects.filter(action__startswith="payments.bank_account").count() == 1
    assert len(mail.outbox) == 1


def test_r_pay_6_only_the_representatives_change_the_account():
    """R-PAY-6: the VOP's finance staff read the account but never change it."""
    s = scene()
    for user in (s.vop_finance, s.support, s.host_rep):
        with pytest.raises(PermissionDenied):
            bank_account_save(
                actor=user, organisation=s.exchange.visitor, holder="Org", iban=IBAN_BE
            )
    assert not BankAccount.objects.exists()


def test_r_pay_6_service_rechecks_the_checksum():
    """R-PAY-6: the service refuses a bad IBAN whatever its caller checked."""
    s = scene()
    with pytest.raises(ValidationError) as refused:
        bank_account_save(
            actor=s.visitor_rep, organisation=s.exchange.visitor, holder="O", iban=IBAN_BAD_CHECKSUM
        )
    assert "iban" in refused.value.message_dict
    assert not BankAccount.objects.exists()


# --- the page -----------------------------------------------------------------------------------


def _url(organisation):
    return reverse("payments:bank_account", kwargs={"pk": organisation.pk})


def test_r_pay_6_page_saves_and_redirects(client, django_capture_on_commit_callbacks):
    """R-PAY-6: the representative enters the account on the page."""
    s = scene()
    client.force_login(s.visitor_rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(s.exchange.visitor), {"holder": "Org", "iban": "BE68 5390 0754 7034", "bic": ""}
        )
    assert response.status_code == 302
    assert BankAccount.objects.get().iban == IBAN_BE
    page = client.get(_url(s.exchange.visitor)).content.decode()
    assert "BE68 5390 0754 7034" in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"holder": "Org", "iban": IBAN_BAD_CHECKSUM}, "iban", "check digits do not match"),
        ({"holder": "Org", "iban": "ZZ12 3456"}, "iban", "country code"),
        ({"holder": "Org", "iban": "BE6853900754"}, "iban", "characters"),
        ({"holder": "Org", "iban": IBAN_BE, "bic": "GEB@"}, "bic", "not a BIC"),
        ({"holder": "", "iban": IBAN_BE}, "holder", "required"),
    ],
)
def test_r_pay_6_bad_input_next_to_the_field_input_kept_nothing_saved(
    client, posted, field, message
):
    """R-PAY-6: an invalid IBAN (checksum, country, length), BIC or a missing holder: a clear
    message next to the field, the input as typed, no account, no audit event, no e-mail."""
    s = scene()
    client.force_login(s.visitor_rep)
    data = {"holder": "", "iban": "", "bic": "", **posted}
    response = client.post(_url(s.exchange.visitor), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert f'value="{data["iban"]}"' in body  # the input is kept
    assert not BankAccount.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="payments.bank_account").exists()
    assert mail.outbox == []


def test_r_pay_6_finance_staff_cannot_post_the_form(client):
    """R-PAY-6: the VOP's finance staff may read the account, not change it (403)."""
    s = scene()
    client.force_login(s.vop_finance)
    response = client.post(_url(s.exchange.visitor), {"holder": "X", "iban": IBAN_BE})
    assert response.status_code == 403
    assert not BankAccount.objects.exists()
