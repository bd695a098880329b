"""Stage media (issue 7): recordings transcoded to HLS, slides rendered to PNG.

Arrows: this package imports ``server.storage``, ``server.errors`` and
``server.settings``; ``server.api`` and ``server.realtime`` import it, never the
other way. What the others call:

- :class:`.store.HlsStore` – content-addressed HLS packages under ``<data_dir>/hls``;
- :func:`.views.media_view` – a ``media`` row as the client sees it;
- :class:`.jobs.MediaJobs` – the queue of transcode/slide jobs (``keys.MEDIA_JOBS``);
- :mod:`.probe`, :mod:`.transcode`, :mod:`.slides` – the subprocess work.

See docs/media.md.
"""
