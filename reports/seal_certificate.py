"""The portal's own sealing certificate (R-DOC-7): the key that seals fully signed documents.

Where it comes from:

- **Production** (``DJANGO_ENV=production``): a PKCS#12 file named by ``CXC_SEAL_PKCS12_PATH``,
  opened with ``CXC_SEAL_PKCS12_PASSPHRASE``. Nothing is ever generated there: without them,
  :func:`portal_seal` refuses with :class:`SealNotConfigured` (the seal task fails loudly and
  the verify page says the seal cannot be checked), so a forgotten setting never produces
  documents under a throw-away key.
- **Development and tests** (``CXC_SEAL_AUTOGENERATE``, on outside production): a self-signed
  certificate is generated on first use and kept in **private storage**
  (``MEDIA_ROOT/seal/portal-seal.p12``, never served by any URL). Two workers starting at once
  both generate a key, but only one file wins: each writes its own temporary file and
  *hard-links* it to the final name, which fails if the name exists — the loser reads the
  winner's file. A half-written file is never visible under the final name.

The switch is ``DJANGO_ENV``, not ``DEBUG``: Django's test runner turns ``DEBUG`` off, and a
development server with ``DEBUG=false`` is still not production.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage

COMMON_NAME = "ClusterXchange portal document seal"
#: Where the development certificate lives, relative to MEDIA_ROOT (private storage).
GENERATED_NAME = "seal/portal-seal.p12"
_VALID_DAYS = 10 * 365


class SealNotConfigured(ImproperlyConfigured):
    """No sealing certificate, and none may be generated here (production)."""


@dataclass(frozen=True)
class PortalSeal:
    """The sealing key material: the PKCS#12 bytes and passphrase (for pyHanko's signer) and the
    certificate (asn1crypto, the trust root of the verification)."""

    pkcs12: bytes
    passphrase: bytes | None
    certificate: asn1_x509.Certificate

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate's DER bytes, hex (printed on the signature page)."""
        return hashlib.sha256(self.certificate.dump()).hexdigest()


def generate_pkcs12(*, common_name: str = COMMON_NAME, passphrase: bytes | None = None) -> bytes:
    """A new self-signed sealing certificate and its key (EC P-256) as PKCS#12 bytes.

    Key usage digitalSignature + nonRepudiation (contentCommitment): what a seal needs, and what
    pyHanko's validation asks of a signer's certificate; not a CA.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ClusterXchange"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, certificate, None, encryption
    )


def load_portal_seal(data: bytes, passphrase: bytes | None) -> PortalSeal:
    """Open PKCS#12 bytes; a wrong passphrase or a damaged file refuses clearly."""
    try:
        _key, certificate, _others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as error:
        raise SealNotConfigured(
            "The sealing certificate (PKCS#12) cannot be opened: wrong passphrase or not a "
            "PKCS#12 file."
        ) from error
    if certificate is None or _key is None:
        raise SealNotConfigured("The sealing PKCS#12 file holds no key and certificate.")
    return PortalSeal(
        pkcs12=data,
        passphrase=passphrase,
        certificate=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
    )


def _generated_path() -> Path:
    return Path(default_storage.path(GENERATED_NAME))


def _generate_once(path: Path) -> bytes:
    """Create the development certificate unless it exists; race-safe across processes (the
    hard link to the final name is atomic and fails when another worker won)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(generate_pkcs12())
            handle.flush()
            os.fsync(handle.fileno())
        # Another worker generated it first: use theirs.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_bytes()


def portal_seal() -> PortalSeal:
    """R-DOC-7: the portal's sealing key and certificate (see the module's docstring)."""
    configured = getattr(settings, "CXC_SEAL_PKCS12_PATH", "")
    if configured:
        passphrase = getattr(settings, "CXC_SEAL_PKCS12_PASSPHRASE", "")
        try:
            data = Path(configured).read_bytes()
        except OSError as error:
            raise SealNotConfigured(
                f"CXC_SEAL_PKCS12_PATH names a file that cannot be read: {configured}"
            ) from error
        return load_portal_seal(data, passphrase.encode() if passphrase else None)
    if not getattr(settings, "CXC_SEAL_AUTOGENERATE", False):
        raise SealNotConfigured(
            "No sealing certificate: set CXC_SEAL_PKCS12_PATH and CXC_SEAL_PKCS12_PASSPHRASE "
            "(a PKCS#12 file with the portal's key and certificate). Production never "
            "generates one."
        )
    return load_portal_seal(_generate_once(_generated_path()), None)
