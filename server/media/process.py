"""Run a media tool (ffmpeg, ffprobe, pdftoppm) as a limited subprocess.

Never on the event loop: ``asyncio.create_subprocess_exec``. Limits come from
util-linux wrappers rather than a ``preexec_fn`` (unsafe in a process with
threads, and the server has aiosqlite's): ``prlimit --as`` caps the address space
(memory) and ``--core=0`` keeps crash dumps off the disk, ``setpriv --pdeathsig
KILL`` ends the tool if the server dies (even by SIGKILL), and a wall-time limit
kills it from here. Cancelling the awaiting task kills the tool too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ProcessTimeout

STDERR_TAIL = 4000  # bytes of a failed tool's stderr kept for the log


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: bytes  # empty when a line callback consumed it
    stderr_tail: str


def limited(args: Sequence[str], memory_bytes: int) -> list[str]:
    return [
        "setpriv",
        "--pdeathsig",
        "KILL",
        "--",
        "prlimit",
        f"--as={memory_bytes}",
        "--core=0",
        "--",
        *args,
    ]


async def _read_tail(stream: asyncio.StreamReader) -> bytes:
    tail = b""
    while chunk := await stream.read(65536):
        tail = (tail + chunk)[-STDERR_TAIL:]
    return tail


async def _read_all(stream: asyncio.StreamReader, limit: int) -> bytes:
    data = b""
    while chunk := await stream.read(65536):
        if len(data) < limit:
            data += chunk
    return data[:limit]


async def _read_lines(stream: asyncio.StreamReader, on_line: Callable[[str], Awaitable[None]]):
    while line := await stream.readline():
        await on_line(line.decode("utf-8", "replace").strip())


async def run_tool(
    args: Sequence[str],
    *,
    timeout_s: float,
    memory_bytes: int,
    on_line: Callable[[str], Awaitable[None]] | None = None,
    stdout_limit: int = 1 << 20,
    cwd: Path | None = None,
) -> Finished:
    """Run ``args`` with the limits; raise :class:`ProcessTimeout` past ``timeout_s``.

    ``on_line`` gets each stdout line as it comes (ffmpeg's ``-progress pipe:1``);
    otherwise stdout is returned (up to ``stdout_limit`` bytes)."""
    proc = await asyncio.create_subprocess_exec(
        *limited(args, memory_bytes),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=cwd,
    )
    assert proc.stdout is not None and proc.stderr is not None
    if on_line is not None:
        out_task: asyncio.Task = asyncio.ensure_future(_read_lines(proc.stdout, on_line))
    else:
        out_task = asyncio.ensure_future(_read_all(proc.stdout, stdout_limit))
    err_task = asyncio.ensure_future(_read_tail(proc.stderr))
    try:
        async with asyncio.timeout(timeout_s):
            returncode = await proc.wait()
            out = await out_task
            err = await err_task
    except TimeoutError:
        raise ProcessTimeout(f"{args[0]} ran longer than {timeout_s:g} s") from None
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        for task in (out_task, err_task):
            task.cancel()
    stdout = out if isinstance(out, bytes) else b""
    return Finished(returncode, stdout, err.decode("utf-8", "replace"))
