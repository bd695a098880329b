"""TLS for ``zal serve --https``: WebXR needs a secure context, and a headset on the
local network reaches the server by its LAN address, where plain HTTP is not one.

Either the operator's own certificate and key (``--cert``/``--key``), or a small
local certificate authority made on first run in ``<data dir>/tls/``: the CA
(``zal-local-ca.crt``, the file a headset or laptop is told to trust, see
docs/headset.md) signs a server certificate for this machine's names and LAN
addresses. Made with the ``openssl`` command (no extra Python dependency).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CA_NAME = "zal-local-ca"
SERVER_NAME = "zal-server"
OPENSSL_TIMEOUT_S = 60
CA_DAYS = 3650
SERVER_DAYS = 825  # the longest validity Apple platforms accept for a server certificate


class TlsError(RuntimeError):
    """The certificate could not be made or loaded; the message says what to do."""


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path
    ca_cert: Path | None = None  # set when Zal made the certificate itself


def machine_addresses() -> list[str]:
    """This machine's names and addresses a headset may use to reach it."""
    names = {"localhost", "127.0.0.1", "::1"}
    hostname = socket.gethostname()
    if hostname:
        names.update({hostname, f"{hostname}.local"})
    try:
        for info in socket.getaddrinfo(hostname, None):
            names.add(str(info[4][0]))
    except OSError:
        pass
    # the address of the interface that would carry traffic out (no packet is sent)
    for probe in ("192.168.0.1", "10.0.0.1"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                names.add(s.getsockname()[0])
        except OSError:
            pass
    return sorted(n for n in names if "%" not in n)  # no link-local zone ids


def _subject_alt_names(names: list[str]) -> str:
    parts = []
    for name in names:
        try:
            ipaddress.ip_address(name)
            parts.append(f"IP:{name}")
        except ValueError:
            parts.append(f"DNS:{name}")
    return ",".join(parts)


def _openssl(*args: str) -> None:
    try:
        subprocess.run(
            ["openssl", *args], check=True, capture_output=True, timeout=OPENSSL_TIMEOUT_S
        )
    except FileNotFoundError as exc:
        raise TlsError("the openssl command is needed to make a certificate "
                       "(apt-get install openssl), or pass --cert and --key") from exc
    except subprocess.CalledProcessError as exc:
        raise TlsError(f"openssl failed: {exc.stderr.decode(errors='replace').strip()}") from exc


def ensure_local_certificate(data_dir: Path, extra_names: list[str] | None = None) -> TlsFiles:
    """The self-made CA and server certificate in ``data_dir/tls``, made if missing.

    An existing pair is reused (a headset that trusts the CA keeps trusting it);
    delete the folder to make new ones, e.g. after the machine's address changed.
    """
    folder = data_dir / "tls"
    ca_cert, ca_key = folder / f"{CA_NAME}.crt", folder / f"{CA_NAME}.key"
    cert, key = folder / f"{SERVER_NAME}.crt", folder / f"{SERVER_NAME}.key"
    if cert.is_file() and key.is_file() and ca_cert.is_file():
        return TlsFiles(cert, key, ca_cert)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # the keys stay the operator's
    names = sorted(set(machine_addresses()) | set(extra_names or []))
    host = socket.gethostname() or "this machine"
    if not (ca_cert.is_file() and ca_key.is_file()):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                 "-keyout", str(ca_key), "-out", str(ca_cert), "-days", str(CA_DAYS),
                 "-subj", f"/O=Zal/CN=Zal local CA ({host})",
                 "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    csr = folder / f"{SERVER_NAME}.csr"
    extensions = folder / f"{SERVER_NAME}.ext"
    extensions.write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        f"subjectAltName={_subject_alt_names(names)}\n"
    )
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", str(key),
             "-out", str(csr), "-subj", f"/O=Zal/CN={host}")
    _openssl("x509", "-req", "-sha256", "-in", str(csr), "-CA", str(ca_cert),
             "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(cert),
             "-days", str(SERVER_DAYS), "-extfile", str(extensions))
    csr.unlink(missing_ok=True)
    for secret in (key, ca_key):
        secret.chmod(0o600)
    log.info("made a local TLS certificate for %s (trust %s on your devices)",
             ", ".join(names), ca_cert)
    return TlsFiles(cert, key, ca_cert)


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """A server-side SSL context for aiohttp's ``run_app(ssl_context=...)``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(files.cert, files.key)
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(
            f"cannot load the certificate {files.cert} and key {files.key}: {exc}"
        ) from exc
    return context
