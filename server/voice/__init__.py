"""Voice (issue 12): Janus, Debian's WebRTC server, carries the media; Zal only
decides who may reach it.

- :mod:`.janus_conf` – the configuration Zal generates for a local Janus (loopback
  only, admin API off, signed-token authentication on, only the VideoRoom plugin);
- :mod:`.janus_process` – starts and stops that Janus as a subprocess;
- :mod:`.tokens` – the short-lived signed tokens Janus checks on every request;
- :mod:`.janus_client` – Zal's side of the Janus HTTP API;
- :mod:`.rooms` – one VideoRoom per event, created, opened to the members Zal
  admits and closed to those it removes.
"""
