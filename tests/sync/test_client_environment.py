"""The sync client reads the proxy and CA-bundle variables once, and still honours them."""

from __future__ import annotations

import pytest
import requests

from sync.client import SyncClient


def test_proxy_variables_apply_and_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.office.example:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    client = SyncClient("https://imbizo.example.org")
    assert client.http.proxies.get("https") == "http://proxy.office.example:3128"
    assert client.http.trust_env is False  # read now, not on every request

    bypassed = SyncClient("https://imbizo.intranet.example")
    assert "https" not in bypassed.http.proxies


def test_a_ca_bundle_variable_is_what_certificates_are_checked_with(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/office/ca.pem")
    assert SyncClient("https://imbizo.example.org").verify == "/etc/office/ca.pem"
    # The profile's own CA file (imbizo login --ca-file) wins over the variable.
    assert SyncClient("https://imbizo.example.org", verify="/profile/ca.pem").verify == "/profile/ca.pem"


def test_a_session_that_ignores_the_environment_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.office.example:3128")
    session = requests.Session()
    session.trust_env = False
    client = SyncClient("https://imbizo.example.org", session=session)
    assert client.http.proxies == {} and client.verify is True
