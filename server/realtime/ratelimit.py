"""Token buckets. They hang on the member (not the socket), so a reconnect keeps them."""

from __future__ import annotations


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up. Time is passed in."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float, now: float):
        if rate <= 0 or burst < 1:
            raise ValueError(f"bad bucket rate={rate} burst={burst}")
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def take(self, now: float, cost: float = 1.0) -> bool:
        self._refill(now)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False

    def retry_after(self, now: float, cost: float = 1.0) -> float:
        """Seconds until :meth:`take` would succeed."""
        self._refill(now)
        return max(0.0, (cost - self.tokens) / self.rate)


class Limits:
    """Per-member limits (docs/PROTOCOL.md section 9)."""

    __slots__ = ("chat", "pose", "react", "join", "events", "violations")

    def __init__(self, now: float, pose_hz: float = 20.0):
        self.chat = TokenBucket(rate=5 / 10, burst=5, now=now)  # 5 per 10 s
        self.pose = TokenBucket(rate=pose_hz, burst=5, now=now)
        self.react = TokenBucket(rate=5, burst=5, now=now)
        self.join = TokenBucket(rate=10 / 60, burst=10, now=now)  # 10 per minute
        self.events = TokenBucket(rate=100, burst=200, now=now)  # every event: flood guard
        self.violations = TokenBucket(rate=1.0, burst=10, now=now)  # 10 within ~10 s
