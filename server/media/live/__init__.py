"""Live streams on the stage (issue 7): nginx-rtmp ingest, live HLS, the demo stream.

Zal never receives RTMP itself: nginx with Debian's RTMP module does, and asks
Zal (``POST /api/live/on_publish``) whether a stream key is one Zal registered.
Zal serves the HLS nginx writes at ``/live/<playback id>/<file>``; the playback
id is the sha256 of the secret stream key. An event may also use an HLS URL the
institution already has, from an origin the operator allowed. docs/hosts-live-stream.md.

- :mod:`.nginx_conf` – the ingest's nginx config and command line;
- :mod:`.keys` – stream keys, playback ids, strict file names;
- :mod:`.registry` – which playback ids are admitted (cached);
- :mod:`.external` – checking an external HLS URL (allow-list, one capped GET);
- :mod:`.demo_stream` – the demo's ffmpeg "live" stream;
- :mod:`.service` – :class:`LiveStreams`, held at ``keys.LIVE``;
- :mod:`.setup` – :func:`live_ctx` (cleanup_ctx) and :func:`attach_demo_stream`.
"""
