"""An open-loop HTTP load: requests sent on a schedule, whatever the server does.

wrk sends the next request when the last one answered (a closed loop), so a
slow server is asked less and its latency looks better than a visitor would
see it. The live room's figure is a schedule instead: N participants each
asking for the room's state every 2 seconds while some of them post, and each
request's latency is counted from the moment it was due, so a request that
waited for a free connection counts that wait.

Plain asyncio streams, one connection per request (gunicorn's sync workers
close each connection after its response).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    kind: str = "read"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


async def send(host: str, port: int, request: Request, timeout: float = 10) -> Answer:
    """One request on its own connection; the status, headers and body."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port), timeout
    )
    try:
        lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in request.headers.items()]
        lines += [f"Content-Length: {len(request.body)}", "Connection: close", "", ""]
        writer.write("\r\n".join(lines).encode("latin-1") + request.body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), headers, body)


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(latencies: list[float]) -> dict:
    """Milliseconds: p50, p95, p99, max and the count."""
    ms = [value * 1000 for value in latencies]
    return {
        "count": len(ms),
        "p50_ms": round(_percentile(ms, 0.50), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "p99_ms": round(_percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1) if ms else 0.0,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else 0.0,
    }


async def _run(
    base_url: str,
    schedule: list[tuple[float, Callable[[], Request], Callable[[Answer], None]]],
    concurrency: int,
) -> dict:
    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port
    slots = asyncio.Semaphore(concurrency)
    latencies: dict[str, list[float]] = {}
    statuses: dict[str, Counter] = {}
    errors: Counter = Counter()
    start = time.monotonic() + 0.2

    async def one(at: float, build, seen) -> None:
        delay = start + at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        request = build()
        async with slots:
            try:
                answer = await send(host, port, request)
            except (OSError, TimeoutError) as exc:
                errors[type(exc).__name__] += 1
                return
        # From when it was due: a wait for a free slot counts.
        latencies.setdefault(request.kind, []).append(time.monotonic() - start - at)
        statuses.setdefault(request.kind, Counter())[answer.status] += 1
        seen(answer)

    await asyncio.gather(*(one(at, build, seen) for at, build, seen in schedule))
    elapsed = time.monotonic() - start
    return {
        "elapsed_s": round(elapsed, 2),
        "kinds": {
            kind: {
                **summary(values),
                "per_s": round(len(values) / elapsed, 1),
                "statuses": {str(k): v for k, v in sorted(statuses[kind].items())},
            }
            for kind, values in sorted(latencies.items())
        },
        "errors": dict(errors),
    }


def run(
    base_url: str,
    schedule: list[tuple[float, Callable[[], Request], Callable[[Answer], None]]],
    concurrency: int = 256,
) -> dict:
    """Send every scheduled request at its time (seconds from the start);
    ``concurrency``: open connections at most (the client's own limit)."""
    return asyncio.run(_run(base_url, schedule, concurrency))


def every(
    period: float, seconds: float, count: int, seed: int = 1
) -> list[list[float]]:
    """For each of ``count`` clients, its times: every ``period`` seconds from
    a random offset, for ``seconds``."""
    rng = random.Random(seed)
    times = []
    for _ in range(count):
        offset = rng.uniform(0, period)
        times.append([offset + k * period for k in range(int(seconds / period) + 1)
                      if offset + k * period < seconds])  # fmt: skip
    return times
