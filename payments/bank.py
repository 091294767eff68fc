"""Bank details, pure (R-PAY-6): check an IBAN by its checksum, derive the BIC, mask for display.

No ORM, no clock: strings in, a frozen dataclass or a list of :class:`Refusal` out. The
services re-check with these functions whatever the form already checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors

from cxc_portal.core.refusals import Refusal

#: How many characters of an IBAN everyone who may see the account at all may read (R-PAY-6).
VISIBLE_TAIL = 4
MASK_CHAR = "•"
#: ``BankAccount.holder``'s length (and SEPA's 140-character name field).
HOLDER_MAX = 140


@dataclass(frozen=True)
class BankDetails:
    """Checked bank details: the IBAN compact and upper case, the BIC given or derived."""

    holder: str
    iban: str
    bic: str
    bic_derived: bool


def normalise_iban(value: str) -> str:
    """Upper case, no spaces (how ``BankAccount.iban`` is stored)."""
    return "".join(str(value).split()).upper()


def mask_iban(iban: str) -> str:
    """R-PAY-6: every character but the last four replaced, grouped by four like a printed IBAN
    (``•••• •••• •••• 7034``). Also what the audit log and the e-mails hold."""
    compact = normalise_iban(iban)
    if not compact:
        return ""
    tail = compact[-VISIBLE_TAIL:]
    masked = MASK_CHAR * max(len(compact) - VISIBLE_TAIL, 0) + tail
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def format_iban(iban: str) -> str:
    """The full IBAN in groups of four, for the few who may read it."""
    compact = normalise_iban(iban)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _iban_refusal(error: Exception, compact: str) -> Refusal:
    if isinstance(
        error, schwifty_errors.InvalidChecksumDigits | schwifty_errors.InvalidBBANChecksum
    ):
        text = _(
            "This IBAN's check digits do not match: a character is probably mistyped. "
            "Copy the IBAN from a bank statement."
        )
    elif isinstance(error, schwifty_errors.InvalidCountryCode):
        text = _("An IBAN starts with a country code (for example BE or PT); %(start)s is not one.")
        text = text % {"start": compact[:2] or "…"}
    elif isinstance(error, schwifty_errors.InvalidLength):
        text = _("This IBAN has %(count)s characters: that is not the length of an IBAN of %(c)s.")
        text = text % {"count": len(compact), "c": compact[:2]}
    else:
        text = _(
            "This is not an IBAN: use only letters and digits, starting with the country code."
        )
    return Refusal("R-PAY-6", text, "iban")


def check_bank_details(*, holder: str, iban: str, bic: str = "") -> BankDetails | list[Refusal]:
    """R-PAY-6: the holder is named, the IBAN passes its checksum (ISO 13616, via ``schwifty``),
    and the BIC is valid when typed; when not typed, it is derived from the IBAN where the bank
    registry knows it (else left empty: a SEPA transfer needs only the IBAN)."""
    refusals: list[Refusal] = []
    holder = " ".join(str(holder).split())
    if not holder:
        refusals.append(Refusal("R-PAY-6", _("Name the account holder."), "holder"))
    elif len(holder) > HOLDER_MAX:
        refusals.append(
            Refusal(
                "R-PAY-6",
                _("The holder's name has at most %(max)s characters.") % {"max": HOLDER_MAX},
                "holder",
            )
        )
    compact = normalise_iban(iban)
    parsed: IBAN | None = None
    if not compact:
        refusals.append(Refusal("R-PAY-6", _("Enter the IBAN."), "iban"))
    else:
        try:
            parsed = IBAN(compact)
        except schwifty_errors.SchwiftyException as error:
            refusals.append(_iban_refusal(error, compact))
    typed_bic = "".join(str(bic).split()).upper()
    checked_bic = ""
    if typed_bic:
        try:
            checked_bic = str(BIC(typed_bic).compact)
        except schwifty_errors.SchwiftyException:
            refusals.append(
                Refusal(
                    "R-PAY-6",
                    _("This is not a BIC: 8 or 11 letters and digits (for example GEBABEBB)."),
                    "bic",
                )
            )
    if refusals or parsed is None:
        return refusals
    derived = parsed.bic
    if checked_bic:
        return BankDetails(holder, str(parsed.compact), checked_bic, bic_derived=False)
    return BankDetails(
        holder,
        str(parsed.compact),
        str(derived.compact) if derived else "",
        bic_derived=bool(derived),
    )
