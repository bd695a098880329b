"""``zal serve --https``: TLS for headsets on the local network (docs/headset.md).

A real server process with the certificate it makes on first run, fetched over
HTTPS by a client that trusts only the local CA the server wrote to its data dir.
"""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

from server.tls import ensure_local_certificate

from .serverproc import REPO, Server, free_port, poll_until


def test_https_serves_pages_with_a_certificate_made_on_first_run(tmp_path):
    port = free_port()
    data_dir = tmp_path / "data"
    server = Server(port, data_dir, tmp_path / "logs", "--https")
    try:
        ca = data_dir / "tls" / "zal-local-ca.crt"
        started = poll_until(
            lambda: "listening" in server.stdout() or server.proc.poll() is not None, 120
        )
        assert started
        assert f"Zal listening on https://127.0.0.1:{port}/" in server.stdout(), server.stderr()
        trusting_ca = ssl.create_default_context(cafile=str(ca))  # checks the name too
        url = f"https://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, context=trusting_ca, timeout=30) as page:
            assert page.status == 200
            assert page.headers["Content-Type"].startswith("text/html")
            assert b"<html" in page.read()
        # a client that trusts nothing extra refuses it: it is not a public certificate
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/", timeout=30)
            raise AssertionError("an untrusted certificate was accepted")
        except urllib.error.URLError as exc:
            assert isinstance(exc.reason, ssl.SSLCertVerificationError)
    finally:
        server.proc.send_signal(signal.SIGINT)  # the server stops its workers itself
        server.proc.wait(30)
    assert "Traceback" not in server.stderr()
    # the keys are the operator's alone
    assert (data_dir / "tls" / "zal-server.key").stat().st_mode & 0o077 == 0
    assert (data_dir / "tls" / "zal-local-ca.key").stat().st_mode & 0o077 == 0


def test_the_local_certificate_is_kept_across_restarts(tmp_path):
    first = ensure_local_certificate(tmp_path, ["zal.test"])
    made = first.cert.read_bytes(), first.ca_cert.read_bytes()
    again = ensure_local_certificate(tmp_path)
    assert again == first  # a headset that trusts the CA goes on trusting it
    assert (again.cert.read_bytes(), again.ca_cert.read_bytes()) == made
    text = subprocess.run(["openssl", "x509", "-in", str(first.cert), "-noout", "-ext",
                           "subjectAltName,basicConstraints"], capture_output=True, text=True,
                          check=True).stdout
    assert "DNS:zal.test" in text and "IP Address:127.0.0.1" in text and "CA:FALSE" in text


def test_a_certificate_without_its_key_is_refused_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--https", "--cert", str(tmp_path / "c.pem"),
         "--data-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--cert and --key go together" in result.stderr
