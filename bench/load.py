"""A small closed-loop HTTP load generator: N threads, each with its own keep-alive connection,
bounded in requests and in time, loopback only. Returns latencies for p50/p95 and throughput."""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p95_ms(self) -> float:
        return self.percentile(0.95)

    @property
    def throughput(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


def run_load(
    url: str,
    *,
    concurrency: int = 4,
    max_requests: int = 400,
    max_seconds: float = 20.0,
    headers: dict | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> LoadResult:
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("Les mesures ne visent que la boucle locale.")
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    result = LoadResult()
    lock = threading.Lock()
    remaining = [max_requests]
    deadline = time.monotonic() + max_seconds

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                connection.request(method, target, body=body, headers=headers or {})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                status = 0
            latency = time.perf_counter() - started
            with lock:
                result.latencies.append(latency)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result
