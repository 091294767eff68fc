"""The deadline scan (R-DL-2, R-DL-3) and the finance pages (R-PAY-4): list, totals, mark paid,
the SEPA transfer (pain.001, validated against the schema sepaxml ships) and its CSV."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
import sepaxml
import xmlschema
from django.urls import reverse
from django.utils import timezone

from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from exchanges.selectors import exchange_timeline
from payments.models import Payment, PaymentStatus
from payments.tasks import payment_deadlines, payment_deadlines_task
from tests.exchanges.factories import approver, representative, support_office_user
from tests.factories import ExchangeFactory, PartnershipFactory
from tests.payments.factories import bank_account

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _payment(*, days: int | None = 5, status=PaymentStatus.DUE, amount="780.00", **kwargs):
    exchange = ExchangeFactory(status=ExchangeStatus.CLOSED, **kwargs)
    return Payment.objects.create(
        exchange=exchange,
        amount=Decimal(amount),
        rate=Decimal("780.00"),
        working_days=5,
        status=status,
        due_date=None if days is None else TODAY() + timedelta(days=days),
    )


def test_r_dl_2_r_dl_3_reminder_before_due_then_escalation_each_once():
    """R-DL-2: the VOP's payers are reminded within the reminder window; once overdue, the
    VOP's staff and the Support Office are told. R-DL-3: a second run sends nothing new; the
    notices show on the exchange's timeline."""
    payment = _payment(days=2)
    payer = approver(payment.exchange.vop)
    other_staff = approver(payment.exchange.vop)
    other_staff.partnership_staff.update(can_pay=False)
    office = support_office_user()
    far = _payment(days=30)  # not near its deadline: no notice
    assert payment_deadlines() == 1
    assert payment_deadlines_task() == 0  # run twice: nothing new
    reminder = Notification.objects.get(kind="payments.payment.reminder")
    assert reminder.recipient == payer
    Payment.objects.filter(pk=payment.pk).update(due_date=TODAY() - timedelta(days=1))
    assert payment_deadlines() == 3  # payer, other staff, Support Office
    assert payment_deadlines() == 0
    overdue = Notification.objects.filter(kind="payments.payment.overdue")
    assert {n.recipient for n in overdue} == {payer, other_staff, office}
    codes = [e.code for e in exchange_timeline(exchange=payment.exchange, user=office)]
    assert codes.count("payments.payment.reminder") == 1
    assert codes.count("payments.payment.overdue") == 3
    assert not Notification.objects.filter(about_id=str(far.exchange_id)).exists()


def test_r_dl_2_a_paid_payment_gets_no_notice():
    """R-DL-2: the scan reads due payments only."""
    payment = _payment(days=-3)
    approver(payment.exchange.vop)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.PAID, paid_on=TODAY(), reference="R"
    )
    assert payment_deadlines() == 0


def _login(client, user):
    client.force_login(user)
    return client


def test_r_pay_4_finance_list_scoped_overdue_first_with_totals(client):
    """R-PAY-4: a VOP payer sees its own payments only, overdue first, with database totals;
    staff of another partnership and the host side are refused."""
    vop = PartnershipFactory()
    due = _payment(days=5, visitor__validating_partnership=vop)
    late = _payment(days=-2, amount="390.00", visitor__validating_partnership=vop)
    _payment(days=5)  # another VOP's
    body = _login(client, approver(vop)).get(reverse("payments:payment_list")).content.decode()
    rows = [p for p in (due, late) if f'data-payment="{p.pk}"' in body]
    assert len(rows) == 2 and body.count("data-payment=") == 2
    assert body.index(f'data-payment="{late.pk}"') < body.index(f'data-payment="{due.pk}"')
    assert 'data-total="due">1170.00 €' in body
    assert 'data-total="overdue">390.00 €' in body
    client.logout()
    other = approver(PartnershipFactory())
    other.partnership_staff.update(can_pay=False)
    assert _login(client, other).get(reverse("payments:payment_list")).status_code == 403
    client.logout()
    host = representative(due.exchange.host)
    assert _login(client, host).get(reverse("payments:payment_list")).status_code == 403


def test_r_pay_4_mark_paid_page_keeps_input_and_shows_field_errors(client):
    """R-PAY-4: a missing reference and a future date: messages next to the fields, the input
    kept, nothing saved; then a valid, confirmed submission records it."""
    payment = _payment()
    _login(client, approver(payment.exchange.vop))
    url = reverse("payments:mark_paid", kwargs={"pk": payment.pk})
    future = (TODAY() + timedelta(days=3)).isoformat()
    response = client.post(url, {"paid_on": future, "reference": "", "confirm": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot be in the future" in body and "Give the payment reference" in body
    assert f'value="{future}"' in body
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.DUE
    response = client.post(url, {"paid_on": TODAY().isoformat(), "reference": "SEPA-9"})
    assert "Tick the box" in response.content.decode()
    client.post(url, {"paid_on": TODAY().isoformat(), "reference": "SEPA-9", "confirm": "on"})
    payment.refresh_from_db()
    assert (payment.status, payment.reference) == (PaymentStatus.PAID, "SEPA-9")


def test_r_pay_4_other_partnership_cannot_open_or_mark_a_payment(client):
    """R-PAY-4: another partnership's payer gets a 404; the Support Office a 403 (read-only)."""
    payment = _payment()
    url = reverse("payments:mark_paid", kwargs={"pk": payment.pk})
    assert _login(client, approver(PartnershipFactory())).get(url).status_code == 404
    client.logout()
    assert _login(client, support_office_user()).get(url).status_code == 403


def _selection(vop):
    first = _payment(visitor__validating_partnership=vop)
    second = _payment(amount="390.00", visitor__validating_partnership=vop)
    bank_account(first.exchange.visitor, iban="BE71096123456769", bic="GKCCBEBB")
    bank_account(second.exchange.visitor, iban="DE89370400440532013000", bic="")
    return first, second


def test_r_pay_4_sepa_file_validates_and_holds_the_selection(client):
    """R-PAY-4: the pain.001 file of the selected due payments validates against the schema
    sepaxml ships; it holds their amounts and the visitors' IBANs, the VOP as debtor."""
    vop = PartnershipFactory(name="Smart Factories Partnership", iban="FR1420041010050500013M02606")
    first, second = _selection(vop)
    _login(client, approver(vop))
    response = client.get(
        reverse("payments:transfer"), {"payment": [first.pk, second.pk], "format": "sepa"}
    )
    assert response.status_code == 200
    xml = response.content.decode()
    schema = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(schema).validate(xml)
    assert "<CtrlSum>1170.00</CtrlSum>" in xml and "<NbOfTxs>2</NbOfTxs>" in xml
    for text in ("780.00", "390.00", "BE71096123456769", "DE89370400440532013000"):
        assert text in xml
    assert "FR1420041010050500013M02606" in xml
    csv = client.get(
        reverse("payments:transfer"), {"payment": [first.pk, second.pk], "format": "csv"}
    ).content.decode()
    lines = csv.strip().splitlines()
    assert len(lines) == 3
    assert "BE71096123456769" in csv and "DE89370400440532013000" in csv
    assert "780.00" in csv and "390.00" in csv


def test_r_pay_4_transfer_refused_without_debtor_iban_or_for_others(client):
    """R-PAY-4: no IBAN of the VOP's own → a clear message, no file; another partnership's
    payer gets nothing of this selection."""
    vop = PartnershipFactory()
    first, second = _selection(vop)
    _login(client, approver(vop))
    response = client.get(reverse("payments:transfer"), {"payment": [first.pk], "format": "sepa"})
    assert response.status_code == 302
    client.logout()
    _login(client, approver(PartnershipFactory()))
    response = client.get(reverse("payments:transfer"), {"payment": [first.pk], "format": "csv"})
    assert response.status_code == 302  # nothing selected they may see
    assert "Select at least one" in str(list(response.wsgi_request._messages))


def test_r_pay_5_exchange_page_shows_the_payment_to_the_visitor_not_the_host(client):
    """R-PAY-5: the visitor sees the amount, status and due date; the host side does not."""
    payment = _payment(days=4)
    url = reverse("exchanges:detail", kwargs={"pk": payment.exchange_id})
    body = _login(client, representative(payment.exchange.visitor)).get(url).content.decode()
    assert 'data-section="payment"' in body and "780.00 €" in body
    assert 'data-payment-status="due"' in body
    client.logout()
    body = _login(client, representative(payment.exchange.host)).get(url).content.decode()
    assert 'data-section="payment"' not in body


@pytest.mark.parametrize("rows", [1, 200])
def test_finance_list_constant_queries(client, django_assert_max_num_queries, rows):
    """The finance list costs the same with 1 and 200 payments."""
    vop = PartnershipFactory()
    for _ in range(rows):
        _payment(visitor__validating_partnership=vop)
    _login(client, approver(vop))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("payments:payment_list"))
    assert response.content.decode().count("data-payment=") == rows


def test_r_pay_4_finance_staff_reach_the_payments_from_the_navigation(client):
    """R-PAY-4: the finance list had no link anywhere (only its own sub-pages linked back), so
    VOP payers could not find it. The main navigation now links it for staff who may pay and for
    the Support Office, and not for staff without ``can_pay`` nor for applicants."""
    link = f'href="{reverse("payments:payment_list")}"'
    vop = PartnershipFactory()
    payer = approver(vop)
    assert link in _login(client, payer).get(reverse("home")).content.decode()
    client.logout()
    assert link in _login(client, support_office_user()).get(reverse("home")).content.decode()
    client.logout()
    other = approver(PartnershipFactory())
    other.partnership_staff.update(can_pay=False)
    assert link not in _login(client, other).get(reverse("home")).content.decode()
    client.logout()
    due = _payment(days=5, visitor__validating_partnership=vop)
    visitor = representative(due.exchange.visitor)
    assert link not in _login(client, visitor).get(reverse("home")).content.decode()


def test_r_pay_4_the_finance_table_scrolls_inside_its_box_on_a_phone(client):
    """R-PAY-4: at 390 px the payments table pushed the whole page sideways (504 px): it now
    scrolls in a positioned ``table-responsive`` box (positioned, so its visually hidden headers
    stay inside it too)."""
    vop = PartnershipFactory()
    _payment(days=5, visitor__validating_partnership=vop)
    body = _login(client, approver(vop)).get(reverse("payments:payment_list")).content.decode()
    box = body.index('<div class="table-responsive position-relative">')
    table = body.index("data-payments-table")
    assert box < table and "</div>" not in body[box:table]
