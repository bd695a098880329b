"""Errors a spec can raise when it cannot be built."""

from __future__ import annotations


class SpecError(ValueError):
    """A spec that cannot become a good venue; ``problems`` lists each reason,
    naming the seats it concerns (e.g. "stalls/K/1-30: C-value 41 mm < 60 mm")."""

    def __init__(self, venue_id: str, problems: list[str]):
        self.venue_id = venue_id
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"venue {venue_id!r} refused:\n  {shown}{more}")

    def __reduce__(self):
        # builds run in worker processes: the error must survive pickling back
        return (type(self), (self.venue_id, self.problems))
