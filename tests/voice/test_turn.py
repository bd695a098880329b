"""TURN credentials in coturn's "TURN REST API" form (use-auth-secret): a username
with its expiry, a password that is the HMAC of it, nothing stored (issue 12)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from pydantic import ValidationError

from server.settings import Settings
from server.voice.turn import ice_servers


def test_each_member_gets_credentials_coturn_can_check_without_an_account():
    urls = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
    (server,) = ice_servers(urls, "coturn-secret", "m_anna", now=1_000_000.0, ttl_s=3600)
    assert server["urls"] == urls
    expiry, name = str(server["username"]).split(":")
    assert (int(expiry), name) == (1_003_600, "m_anna")
    expected = hmac.new(b"coturn-secret", str(server["username"]).encode(), hashlib.sha1)
    assert server["credential"] == base64.b64encode(expected.digest()).decode()
    (other,) = ice_servers(urls, "coturn-secret", "m_ben", now=1_000_000.0, ttl_s=3600)
    assert other["credential"] != server["credential"]


def test_stun_only_and_nothing():
    assert ice_servers(["stun:stun.example.org:3478"], None, "m", now=0) == [
        {"urls": ["stun:stun.example.org:3478"]}
    ]
    assert ice_servers([], "secret", "m", now=0) == []


def test_settings_take_a_comma_separated_list_of_stun_and_turn_urls(tmp_path):
    settings = Settings(data_dir=tmp_path, turn_urls="turn:a:3478, stun:b:3478")
    assert settings.turn_urls == ["turn:a:3478", "stun:b:3478"]
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, turn_urls="http://not-turn")
