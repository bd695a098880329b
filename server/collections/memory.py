"""A temporary address-space limit for work done inside a long-lived worker.

The build pool's workers live on, so a hard limit would stay forever: only the
soft limit is lowered (to what the worker holds now plus the budget) and put
back afterwards. Past it an allocation fails with ``MemoryError`` in that task;
the worker and the server go on.
"""

from __future__ import annotations

import contextlib
import resource
from collections.abc import Iterator


def _address_space_now() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def memory_budget(extra_bytes: int) -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_now() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def peak_rss_bytes() -> int:
    """This process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
