"""Per-client rate limits: a token bucket for each client address.

    limiter = RateLimiter(Rate(30, 60))      # 30 at once, then one every 2 seconds
    wait = limiter.take("203.0.113.7")       # 0.0: go ahead; else seconds until allowed

``POST /api/summarize`` fetches pages that callers name and summarizes what they send, so
each client gets :attr:`Settings.summarize_rate` of them; past it the answer is 429 with
``Retry-After``. A client is its IP address, or its /64 network for IPv6 (one host usually
holds a whole /64, and would otherwise have 2**64 buckets to spend). Behind a reverse proxy
the address is the one uvicorn takes from the proxy's ``X-Forwarded-For``; a proxy that does
not send it makes every client one.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request

from inbrief.service.problems import Problem
from inbrief.service.settings import Rate

# Bounds the limiter's memory (~100 bytes a client): the least recently seen client is
# forgotten first, which at worst gives it a full bucket again.
MAX_CLIENTS = 100_000


class RateLimiter:
    """Token buckets keyed by client; thread-safe. ``clock`` is injectable for tests."""

    def __init__(
        self,
        rate: Rate,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rate = rate
        self._per_second = rate.requests / rate.seconds
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one request of ``client``'s allowance: 0.0 if it had one, else the seconds
        until it will (nothing is spent then)."""
        now = self._clock()
        capacity = float(self.rate.requests)
        with self._lock:
            tokens, updated = self._buckets.pop(client, (capacity, now))
            tokens = min(capacity, tokens + (now - updated) * self._per_second)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self._per_second
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


def client_key(address: str) -> str:
    """The bucket a client address spends from: the address, or its /64 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and getattr(ip, "ipv4_mapped", None) is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(getattr(ip, "ipv4_mapped", None) or ip)


async def summarize_quota(request: Request) -> None:
    """Dependency: spend one of the client's summaries, or answer 429 with ``Retry-After``."""
    limiter: RateLimiter | None = request.app.state.summarize_limiter
    if limiter is None:
        return
    address = request.client.host if request.client else "unknown"
    wait = limiter.take(client_key(address))
    if wait:
        seconds = max(1, math.ceil(wait))
        raise Problem(
            429,
            f"too many summaries from your address: the limit is {limiter.rate}; "
            f"try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
