"""Scale-out on one machine and behind a proxy (issue 14, docs/scale-out.md).

- :mod:`.supervisor`: ``zal serve --workers N``, N server processes sharing one
  port (``SO_REUSEPORT``) and one data dir, started and stopped by a small parent;
- :mod:`.nginx_proxy`: the nginx reverse-proxy configuration in front of one or
  more Zal processes or machines (TLS, the websocket upgrade, caching).
"""
