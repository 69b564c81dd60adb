"""A real Celery worker for the tests whose guarantee is delivery (the newsletter's sends, the
relay's sync): started as production starts it, in a process group of its own, on a Redis
database that the test empties before and after. Waits are on conditions, never on seconds."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def redis_broker(url: str) -> Iterator[Celery]:
    """A Celery app that only sends, on an emptied Redis database; skips without Redis."""
    if not url:
        pytest.skip("Aucune base Redis de test n'est définie (REDIS_TEST_URL).")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis n'est pas joignable ({url}).")
    client.flushdb()
    try:
        yield Celery(broker=url)
    finally:
        client.flushdb()


def start_worker(env: dict, log) -> subprocess.Popen:
    """One solo worker, as `make worker` starts it but without beat, its output in `log`."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """SIGTERM lets the task in hand finish; SIGKILL is a crash."""
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, sig)
    worker.wait(timeout=120)


def wait_until(
    condition: Callable[[], bool],
    what: str,
    log_path: Path,
    *,
    timeout: float = 600,
    state: Callable[[], str] = lambda: "",
) -> None:
    """Polls until `condition` holds. The bound is only there so that a broken worker fails the
    test with its log instead of hanging it: a loaded machine must never reach it."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Délai dépassé : {what} {state()}\n{log_path.read_text()}")
        time.sleep(0.05)


def wait_ready(app: Celery, log_path: Path) -> None:
    """Until the worker answers a ping: it has booted and consumes its queue."""
    wait_until(lambda: bool(app.control.ping(timeout=0.5)), "le démarrage du worker", log_path)
