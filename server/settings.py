"""Server settings: one pydantic model read from ``ZAL_*`` environment variables.

CLI flags (``zal serve --host --port --data-dir --demo``) override the environment
by being passed as keyword arguments. Paths that default to places inside the data
dir are resolved by :meth:`Settings.resolved` so the rest of the code never guesses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ZAL_", extra="forbid", populate_by_name=True, frozen=True
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    data_dir: Path = Path("var/data")
    # default: sqlite+aiosqlite:///<data_dir>/zal.sqlite3 (WAL); or PostgreSQL,
    # postgresql+asyncpg://user:password@host/db (docs/scale-out.md#postgresql)
    database_url: str | None = None
    # shared between servers/tests: built GLBs keyed by spec hash (env ZAL_SCENE_CACHE)
    scene_cache_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("scene_cache_dir", "ZAL_SCENE_CACHE")
    )
    web_client_dir: Path = REPO_ROOT / "web_client"
    assets_dir: Path = REPO_ROOT / "assets"
    demo: bool = False
    # serve web_client/src/xr/emulate.js, the emulated headset (iwer) the browser
    # tests enter VR with; never on for a real audience
    xr_emulation: bool = False
    # Socket.IO origin allow-list; comma-separated in the environment. Empty means
    # "same origin only" (the realtime layer derives it from the request host).
    allowed_origins: Annotated[list[str], NoDecode] = []
    # live streams (server/media/live, docs/hosts-live-stream.md). Origins of external
    # HLS streams a host may register (comma-separated); the pages' CSP allows exactly
    # these in connect-src and media-src.
    media_origins: Annotated[list[str], NoDecode] = []
    # the folder nginx-rtmp writes live HLS into (its hls_path); default <data_dir>/live
    live_hls_dir: Path | None = None
    # where encoders push, handed to a host with a new stream key; default
    # rtmp://<the host the API was asked on>:1935/live
    live_rtmp_url: str | None = Field(default=None, pattern=r"^rtmps?://[^\s/]+(/[^\s]*)?$")
    # the demo's ffmpeg "live" stream (only with demo; off in tests that need no ffmpeg)
    demo_live_stream: bool = True
    # the demo's stage media (server/demo_media.py): full, excerpt (tests), off
    demo_media: Literal["full", "excerpt", "off"] = "full"
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    build_workers: int = Field(default=2, ge=1, le=16)
    # live audience (server/realtime, docs/PROTOCOL.md)
    instance_capacity: int = Field(default=50, ge=1, le=1000)
    # a tour group's size when its guide names none (never above instance_capacity - 1)
    group_cap: int = Field(default=25, ge=1, le=1000)
    tick_hz: float = Field(default=10.0, ge=10.0, le=20.0)
    # the tick period is cut into this many slices and each instance's snapshot goes
    # out in its own slice (server/realtime/ticker.py): 1 sends all at once
    tick_slices: int = Field(default=10, ge=1, le=50)
    resume_grace_s: float = Field(default=30.0, ge=0.0, le=600.0)
    # engine.io/socket.io fast path (server/realtime/socketio_fast.py); off = stock library
    realtime_fast: bool = True
    # slow consumers (fast path): a member with more than skip bytes waiting in its
    # connection misses snapshots; past drop bytes it is disconnected (and may resume)
    slow_consumer_skip_bytes: int = Field(default=1 << 20, ge=1024)
    slow_consumer_drop_bytes: int = Field(default=4 << 20, ge=4096)
    # Engine.IO heartbeat, whole seconds (the handshake sends int(s) * 1000 ms):
    # a client silent for interval + timeout is dropped
    ping_interval_s: int = Field(default=25, ge=1, le=300)
    ping_timeout_s: int = Field(default=20, ge=1, le=300)
    # several server processes share realtime rooms through Redis (e.g. redis://127.0.0.1:6379/0)
    redis_url: str | None = None
    # this process's index under `zal serve --workers N` (server/scale): 0 is the only
    # process or the first, which alone does the start-up chores (demo data and media,
    # removing what a dead process left) before the others start
    worker: int = Field(default=0, ge=0, le=63)
    # the portal's session cookie (server/api/session.py) is Secure when the request
    # came over HTTPS; behind a proxy that ends TLS, aiohttp sees http: set this true
    secure_cookies: bool = False

    # stage media (server/media, docs/media.md): uploads and the ffmpeg/pdftoppm jobs
    media_max_upload_bytes: int = Field(default=4 << 30, ge=1)
    media_max_duration_s: float = Field(default=4 * 3600.0, gt=0)
    media_jobs: int = Field(default=1, ge=1, le=4)  # transcodes running at once
    media_job_timeout_s: float = Field(default=3 * 3600.0, gt=0)  # wall time of one ffmpeg
    media_job_memory_bytes: int = Field(default=3 << 30, ge=64 << 20)  # RLIMIT_AS of a tool
    media_x264_preset: str = Field(default="veryfast", pattern=r"^[a-z]+$")
    media_ffmpeg_threads: int = Field(default=0, ge=0, le=64)  # 0: ffmpeg decides
    slides_max_pages: int = Field(default=300, ge=1)
    slides_max_pixels: int = Field(default=50_000_000, ge=1)

    # scene uploads (server/scene_uploads, docs/uploads.md): budgets of one upload,
    # and the limits of the worker process that converts it
    scene_max_upload_bytes: int = Field(default=50 << 20, ge=1)
    scene_max_triangles: int = Field(default=500_000, ge=1)
    scene_max_texture_px: int = Field(default=4096, ge=1)
    scene_max_nodes: int = Field(default=10_000, ge=1)
    # above these a lighter copy is made for phones and standalone headsets
    scene_headset_triangles: int = Field(default=75_000, ge=1)
    scene_headset_texture_px: int = Field(default=2048, ge=1)
    scene_jobs: int = Field(default=1, ge=1, le=4)  # uploads converted at once
    scene_job_cpu_s: int = Field(default=120, ge=1)  # RLIMIT_CPU of the worker
    scene_job_memory_bytes: int = Field(default=2 << 30, ge=256 << 20)  # its RLIMIT_AS
    # voice (server/voice, issue 12): "local" starts Janus here (Debian's janus) on a
    # configuration Zal writes; janus_url points at one an operator runs, which must
    # share janus_token_secret and janus_admin_key. Off: no voice.
    voice: Literal["off", "local"] = "off"
    janus_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")
    janus_token_secret: str | None = None
    janus_admin_key: str | None = None
    janus_http_port: int = Field(default=8188, ge=1, le=65535)  # the local Janus, on loopback
    janus_rtp_ports: str = Field(default="20000-20999", pattern=r"^[0-9]{4,5}-[0-9]{4,5}$")
    # STUN/TURN servers the browsers use for voice (comma-separated, e.g.
    # turn:turn.example.org:3478?transport=udp); with turn_secret, coturn's
    # static-auth-secret, each member gets its own time-limited credentials
    turn_urls: Annotated[list[str], NoDecode] = []
    turn_secret: str | None = None
    voice_max_speakers: int = Field(default=3, ge=1, le=20)  # at once, per event
    voice_max_listeners: int = Field(default=1000, ge=1)  # per event
    # the city's time zone: calendar feeds give event times in it (an IANA name)
    timezone: str = "Europe/Moscow"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (an IANA name, e.g. Europe/Moscow)"
            ) from None
        return value

    @field_validator("turn_urls", mode="before")
    @classmethod
    def _split_turn_urls(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for url in value if isinstance(value, list) else []:
            if not isinstance(url, str) or not url.startswith(("stun:", "turn:", "turns:")):
                raise ValueError(f"not a STUN or TURN URL: {url!r}")
        return value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("media_origins", mode="before")
    @classmethod
    def _media_origins(cls, value: object) -> object:
        from .media.live.external import normalize_origin

        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            return list(dict.fromkeys(normalize_origin(str(v)) for v in value))
        return value

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'zal.sqlite3').resolve()}"

    @property
    def base_url(self) -> str:
        """Where a browser on this machine reaches the server: ``http://127.0.0.1:8080/``."""
        # a wildcard address listens everywhere, the loopback one among them
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    @property
    def live_dir(self) -> Path:
        return self.live_hls_dir or (self.data_dir / "live")

    @property
    def scene_cache(self) -> Path:
        return self.scene_cache_dir or (self.data_dir / "scene-cache")

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def hls_dir(self) -> Path:
        """Recordings' HLS packages (server/media/store.py)."""
        return self.data_dir / "hls"

    @property
    def uploads_dir(self) -> Path:
        """Uploads being received or waiting for their job (emptied at start-up)."""
        return self.data_dir / "uploads"
