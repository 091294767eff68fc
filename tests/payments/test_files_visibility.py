"""Bank details (R-PAY-6) and evidence files (R-PAY-4 (c)) are never visible to the host, the HOP,
other applicants or anonymous users — per role, per page and per download URL, guessed file
paths included."""

import pytest
from django.urls import reverse

from payments.bank import format_iban, mask_iban
from payments.models import BankAccount
from tests.exchanges.factories import approver
from tests.factories import ExchangeFactory
from tests.payments.files_helpers import IBAN_DE, PDF_BYTES, evidence_row, scene

pytestmark = pytest.mark.django_db

FULL = format_iban(IBAN_DE)
MASKED = mask_iban(IBAN_DE)


@pytest.fixture
def s():
    world = scene()
    BankAccount.objects.create(
        organisation=world.exchange.visitor, holder="Visitor Ltd", iban=IBAN_DE, bic="COBADEFFXXX"
    )
    world.evidence = evidence_row(world.exchange)
    return world


def _bank(s):
    return reverse("payments:bank_account", kwargs={"pk": s.exchange.visitor.pk})


def _evidence(s):
    return reverse("payments:evidence", kwargs={"exchange_id": s.exchange.pk})


def _download(s):
    return reverse("payments:evidence_download", kwargs={"pk": s.evidence.pk})


@pytest.mark.parametrize("who", ["visitor_rep", "vop_finance", "support"])
def test_r_pay_6_full_iban_for_the_visitor_finance_staff_and_support_office(client, s, who):
    """R-PAY-6: the visitor's representatives, the VOP's finance staff (can_pay) and the Support
    Office read the whole IBAN and the BIC."""
    client.force_login(getattr(s, who))
    body = client.get(_bank(s)).content.decode()
    assert FULL in body
    assert "COBADEFFXXX" in body


def test_r_pay_6_other_vop_staff_see_the_last_four_characters(client, s):
    """R-PAY-6: VOP staff without can_pay see the account masked: the last four only."""
    client.force_login(s.vop_staff)
    response = client.get(_bank(s))
    body = response.content.decode()
    assert response.status_code == 200
    assert MASKED in body
    assert IBAN_DE[4:-4] not in body.replace(" ", "")
    assert "COBADEFFXXX" not in body


@pytest.mark.parametrize("who", ["host_rep", "hop_approver", "other_applicant"])
def test_r_pay_6_host_hop_and_other_applicants_never_see_the_account(client, s, who):
    """R-PAY-6: the host, the HOP and other applicants get a 404: not even the masked IBAN."""
    client.force_login(getattr(s, who))
    response = client.get(_bank(s))
    assert response.status_code == 404
    assert IBAN_DE[-4:] not in response.content.decode()
    # Nor by posting a change.
    response = client.post(_bank(s), {"holder": "Thief", "iban": "BE68539007547034"})
    assert response.status_code == 404
    assert BankAccount.objects.get().iban == IBAN_DE


def test_r_pay_6_anonymous_is_sent_to_sign_in(client, s):
    response = client.get(_bank(s))
    assert response.status_code == 302 and "login" in response.url


def test_r_pay_6_a_cancelled_exchange_gives_its_vop_no_access(client):
    """R-PAY-6: the VOP of a cancelled exchange only has no business with the account."""
    world = scene(status="cancelled")
    BankAccount.objects.create(organisation=world.exchange.visitor, holder="V", iban=IBAN_DE)
    client.force_login(world.vop_finance)
    assert (
        client.get(reverse("payments:bank_account", args=[world.exchange.visitor.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["visitor_rep", "vop_staff", "vop_approver", "support"])
def test_r_pay_4_evidence_page_and_download_for_visitor_vop_and_support(client, s, who):
    """R-PAY-4 (c): the visitor's representatives, the VOP's staff and the Support Office see
    the evidence and download the file, as an attachment that is never cached."""
    client.force_login(getattr(s, who))
    assert client.get(_evidence(s)).status_code == 200
    response = client.get(_download(s))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["host_rep", "hop_approver", "other_applicant"])
def test_r_pay_4_evidence_never_for_host_hop_or_other_applicants(client, s, who):
    """R-PAY-4 (c): the host, the HOP and other applicants get a 404 on the page, the download
    and the review actions."""
    client.force_login(getattr(s, who))
    for url in (
        _evidence(s),
        _download(s),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF_BYTES not in response.content
    for action in ("evidence_accept", "evidence_reject"):
        url = reverse(f"payments:{action}", kwargs={"pk": s.evidence.pk})
        assert client.post(url, {f"r{s.evidence.pk}-comment": "x"}).status_code == 404
    s.evidence.refresh_from_db()
    assert s.evidence.status == "pending"


def test_r_pay_4_anonymous_gets_nothing(client, s):
    for url in (_evidence(s), _download(s)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_r_pay_4_a_hop_that_is_also_the_vop_sees_the_evidence(client):
    """R-PAY-4 (c): the HOP is refused as HOP, not when it is the VOP too."""
    exchange = ExchangeFactory(status="contracted")
    exchange.hop = exchange.vop
    exchange.save(update_fields=["hop"])
    evidence = evidence_row(exchange)
    client.force_login(approver(exchange.vop))
    url = reverse("payments:evidence_download", kwargs={"pk": evidence.pk})
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["visitor_rep", "host_rep", "hop_approver", "other_applicant"])
def test_r_pay_4_guessed_file_paths_lead_nowhere(client, s, who):
    """R-PAY-4 (c): the stored file has a random name under a private root that no URL serves;
    guessing its path (or an id of another exchange's file) gives nothing."""
    client.force_login(getattr(s, who))
    name = s.evidence.file
    for url in (f"/media/{name}", f"/private/{name}", f"/{name}", f"/static/{name}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF_BYTES not in response.content
    foreign = evidence_row(ExchangeFactory(status="contracted"), name="evidence/x/other.pdf")
    response = client.get(reverse("payments:evidence_download", kwargs={"pk": foreign.pk}))
    assert response.status_code == 404


def test_exchange_page_links_only_for_those_who_may_open_them(client, s):
    """The exchange page links to the evidence and the bank account for the visitor and the VOP,
    not for the host nor the HOP (who see the exchange itself)."""
    page = reverse("exchanges:detail", kwargs={"pk": s.exchange.pk})
    for user, shown in (
        (s.visitor_rep, True),
        (s.vop_staff, True),
        (s.host_rep, False),
        (s.hop_approver, False),
    ):
        client.force_login(user)
        body = client.get(page).content.decode()
        assert (_evidence(s) in body) is shown, user
        assert (_bank(s) in body) is shown, user
