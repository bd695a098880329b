"""The Janus configuration Zal writes refuses values that would change its meaning."""

from __future__ import annotations

import pytest

from server.voice.janus_conf import JanusConfig, render


def test_configuration_values_cannot_break_out_of_their_quotes(tmp_path):
    for bad in ('x" \n admin_http = true', "a\\b", "line\nbreak"):
        with pytest.raises(ValueError):
            render(JanusConfig(tmp_path, 8088, token_secret=bad, admin_key="k"))
    with pytest.raises(ValueError):
        render(JanusConfig(tmp_path, 8088, "s", "k", rtp_ports=(30000, 20000)))
