"""Why a collection was refused: problems that name the row or file concerned."""

from __future__ import annotations

from ..errors import ApiError

MAX_LISTED = 12  # a thousand bad rows need not all be in one message


class CollectionRefused(Exception):
    """Raised in the worker: plain strings only, so it crosses the process boundary."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))

    def __reduce__(self):
        # raised in a pool worker: the problems must survive pickling back
        return (type(self), (self.problems,))


class BadCollection(ApiError):
    status = 422
    code = "bad_collection"

    @classmethod
    def of(cls, problems: list[str]) -> BadCollection:
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more else "")
        return cls(params={"problems": text})
