"""S5: TLS and secrets (RELIABILITY.md). A local CA from ``trustme``, the real server over https.

- The client rejects 4/4 bad certificates: self-signed, expired, for another host name,
  and one from a CA it was not told to trust; and plain http to a host that is not
  loopback (never a silent fallback from https to http).
- A private CA is trusted per profile with ``imbizo login --ca-file CA.pem`` (kept in
  the profile's settings, ``sync.ca_file``), or system-wide (OS store, ``REQUESTS_CA_BUNDLE``).
- ``imbizo-server serve --ssl-certfile/--ssl-keyfile``: TLS 1.2 and 1.3 only; a TLS 1.1
  handshake is refused by the server (the test client offers 1.1 at OpenSSL security level 0,
  so the refusal is the server's alert, not the client's own policy).
- After sign-in and a sync: 0 occurrences of the token or the password in the profile
  folder (SQLite file, WAL, settings, logs, index) when an OS keyring answers, and 0 in the
  server's data folder and logs. Without a keyring the token goes to ``<profile>/sync-token``
  (0600): the one place it is on disk outside a keyring; the test pins that down.

The self-signed and expired certificates are presented by a small TLS server in a thread
(the client's check is what is tested, and the real server cannot change certificates
without a restart); the good, wrong-host and protocol-version cases use the real server.
"""

from __future__ import annotations

import datetime as dt
import http.server
import logging
import os
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import requests
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from keyring.backend import KeyringBackend

from desktop.paths import ProfilePaths
from desktop.session import Session
from desktop.sync_service import CA_FILE_KEY, SyncService
from sync.client import InsecureTransportError, SyncClient, check_transport
from tests.support.server_process import BIN, free_port, server_env
from tests.sync.server.helpers import PASSWORD

# -- certificates --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """PEM files: the CA, certificates for localhost (good, expired), another host, and a self-signed one."""
    folder = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    files = {"ca": folder / "ca.pem"}
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    leaves = {
        "good": ca.issue_cert("localhost"),
        "expired": ca.issue_cert("localhost", not_before=past, not_after=past + dt.timedelta(days=1)),
        "other_host": ca.issue_cert("files.example.org"),
    }
    for name, leaf in leaves.items():
        leaf.cert_chain_pems[0].write_to_path(str(folder / f"{name}.crt"))
        leaf.private_key_pem.write_to_path(str(folder / f"{name}.key"))
        files[name] = folder / f"{name}.crt"
        files[f"{name}_key"] = folder / f"{name}.key"
    files["self_signed"], files["self_signed_key"] = _self_signed(folder)
    return files


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "self_signed.crt", folder / "self_signed.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


# -- servers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_server(pki: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``imbizo-server serve`` over https on 127.0.0.1 (certificate for ``localhost``), with alice."""
    data = tmp_path_factory.mktemp("server")
    env = server_env()
    subprocess.run(
        [BIN / "imbizo-server", "--data-dir", data, "adduser", "alice", "--role", "staff"],
        input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    port = free_port()
    log = data / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [BIN / "imbizo-server", "--data-dir", data, "serve", "--port", str(port),
             "--ssl-certfile", pki["good"], "--ssl-keyfile", pki["good_key"]],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(port, process)
        yield {"url": f"https://localhost:{port}", "port": port, "data": data, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the TLS server did not start") from None
            time.sleep(0.05)


@pytest.fixture
def bad_tls_server(pki: dict[str, Path]) -> Iterator[Any]:
    """Start a one-certificate https server in a thread: ``start("expired")`` -> its URL."""
    servers: list[http.server.HTTPServer] = []

    def start(name: str) -> str:
        httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pki[name], pki[f"{name}_key"])
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"https://localhost:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


# -- certificates the client must refuse ---------------------------------------------------------


def test_four_bad_certificates_are_refused(tls_server, bad_tls_server, pki) -> None:
    ca = str(pki["ca"])
    cases: dict[str, tuple[str, bool | str]] = {
        "self-signed": (bad_tls_server("self_signed"), ca),
        "expired": (bad_tls_server("expired"), ca),
        "wrong host name": (f"https://127.0.0.1:{tls_server['port']}", ca),  # the certificate says localhost
        "untrusted CA": (tls_server["url"], True),  # the system's CAs do not include ours
    }
    refused = {}
    for case, (url, verify) in cases.items():
        client = SyncClient(url, verify=verify)
        with pytest.raises(InsecureTransportError) as error:
            client.health()
        refused[case] = str(error.value)
        assert client.requests_made == 1, case  # refused at once: no retry, no other scheme
    assert "expired" in refused["expired"]
    assert "self-signed" in refused["self-signed"] or "self signed" in refused["self-signed"]
    assert "match" in refused["wrong host name"] or "mismatch" in refused["wrong host name"]
    assert len(refused) == 4

    good = SyncClient(tls_server["url"], verify=ca)  # the positive control: the right CA is accepted
    assert good.health().status == "ok"


def test_plain_http_to_a_host_that_is_not_loopback_is_refused_with_no_fallback(tmp_path: Path) -> None:
    for url in ("http://example.org", "http://192.168.1.10:8765", "http://[fe80::1]", "http://10.0.0.5"):
        with pytest.raises(InsecureTransportError):
            check_transport(url)
        with pytest.raises(InsecureTransportError):
            SyncClient(url)
    assert check_transport("http://192.168.1.10:8765", ["192.168.1.10"]) is True  # allowed: with a warning
    assert check_transport("https://example.org") is False
    with pytest.raises(InsecureTransportError):
        check_transport("ftp://example.org")

    session = Session.open(ProfilePaths(tmp_path / "profile", "--data-dir"))
    try:
        sent: list[str] = []
        http = requests.Session()

        def record(method: str, url: str, **_kwargs: Any) -> requests.Response:
            sent.append(url)
            return requests.Response()

        http.request = record  # type: ignore[method-assign,assignment]
        service = SyncService(session, http=http, use_keyring=False)
        with pytest.raises(InsecureTransportError):
            service.login("http://example.org", "alice", PASSWORD)
        assert sent == [] and service.server_url() is None  # refused before anything was sent
    finally:
        session.close()


# -- the server's protocol versions ------------------------------------------------------------------


def _handshake(port: int, ca: Path, version: ssl.TLSVersion) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let this client offer old versions
    context.minimum_version = context.maximum_version = version
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        return str(tls.version())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_server_speaks_tls_1_2_and_1_3_only(tls_server, pki) -> None:
    assert _handshake(tls_server["port"], pki["ca"], ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert _handshake(tls_server["port"], pki["ca"], ssl.TLSVersion.TLSv1_3) == "TLSv1.3"
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        # Refused by the server: an alert (protocol version), or the connection closed on the hello.
        with pytest.raises(ssl.SSLError, match=r"PROTOCOL_VERSION|protocol version|UNEXPECTED_EOF"):
            _handshake(tls_server["port"], pki["ca"], old)
    assert _handshake(tls_server["port"], pki["ca"], ssl.TLSVersion.TLSv1_2) == "TLSv1.2"  # still serving


# -- secrets on disk ------------------------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in for a headless machine (TOOLCHAIN.md: no backend answers here)."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _occurrences(folder: Path, secrets: dict[str, str]) -> dict[str, list[str]]:
    """Files under ``folder`` holding any of ``secrets`` (as UTF-8 bytes): {secret name: [paths]}."""
    found: dict[str, list[str]] = {name: [] for name in secrets}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            for name, value in secrets.items():
                if value.encode("utf-8") in data:
                    found[name].append(str(path.relative_to(folder)))
    return found


def _sign_in_and_sync(folder: Path, url: str, ca: Path, *, use_keyring: bool) -> str:
    """Sign in over https with the private CA, sync a record, log at DEBUG into the profile: the token."""
    from desktop.core.kinds import Kind
    from desktop.core.records import Record, new_record_id

    session = Session.open(ProfilePaths(folder, "--data-dir"))
    handler = logging.FileHandler(folder / "debug.log")
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # everything the client and urllib3 say, headers included if they did
    try:
        service = SyncService(session, use_keyring=use_keyring)
        signed = service.login(url, "alice", PASSWORD, ca_file=str(ca))
        assert signed.insecure is False and session.store.get_meta(CA_FILE_KEY) == str(ca.resolve())
        session.save(Record(id=new_record_id(), kind=Kind.CASE_STUDY, fields={"title": "Sent over TLS"}))
        assert service.sync().verified
        token = service.tokens.load()
        assert token
        return token
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
        session.close()


def test_no_token_or_password_on_disk_outside_the_keyring(tls_server, pki, tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        token = _sign_in_and_sync(tmp_path / "with-keyring", tls_server["url"], pki["ca"], use_keyring=True)
    finally:
        keyring.set_keyring(previous)
    secrets = {"token": token, "password": PASSWORD}
    assert list(memory.secrets.values()) == [token]  # the token is in the keyring
    assert _occurrences(tmp_path / "with-keyring", secrets) == {"token": [], "password": []}
    assert (tmp_path / "with-keyring" / "debug.log").stat().st_size > 0  # the log was written, and is clean

    fallback = _sign_in_and_sync(tmp_path / "no-keyring", tls_server["url"], pki["ca"], use_keyring=False)
    found = _occurrences(tmp_path / "no-keyring", {"token": fallback, "password": PASSWORD})
    # Finding: without a keyring the token is on disk, in the profile folder, readable only by its owner.
    assert found == {"token": ["sync-token"], "password": []}
    assert oct((tmp_path / "no-keyring" / "sync-token").stat().st_mode & 0o777) == "0o600"

    server_side = _occurrences(
        tls_server["data"], {"token": token, "fallback": fallback, "password": PASSWORD}
    )
    assert server_side == {"token": [], "fallback": [], "password": []}  # database, WAL, blobs, server log
    assert tls_server["log"].stat().st_size > 0 and os.path.getsize(tls_server["data"] / "server.db") > 0


def test_a_cleared_ca_file_is_forgotten_and_a_failed_sign_in_keeps_it(
    tls_server, pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(ProfilePaths(tmp_path / "laptop", "--data-dir"))
    try:
        service = SyncService(session, use_keyring=False)
        service.login(tls_server["url"], "alice", PASSWORD, ca_file=str(pki["ca"]))
        assert service.verify() == str(pki["ca"].resolve())
        # Cleared, with no other trust for the server: the sign-in fails and the kept file stays.
        with pytest.raises(InsecureTransportError):
            service.login(tls_server["url"], "alice", PASSWORD, ca_file="")
        assert service.verify() == str(pki["ca"].resolve())
        # The office put its CA into the system's trust (here: the bundle variable): cleared, forgotten.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki["ca"]))
        service.login(tls_server["url"], "alice", PASSWORD, ca_file="")
        assert service.verify() is True and session.store.get_meta(CA_FILE_KEY) == ""
        assert service.sync().verified  # the system's trust (the variable) is what the sync uses now
    finally:
        session.close()
