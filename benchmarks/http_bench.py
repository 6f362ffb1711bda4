"""What the HTTP benchmarks share: a real server (`joinedup serve`, Django's runserver, in a
subprocess on the benchmark's database), a signed-in client (standard library only, a
connection per request), timing, and the markdown table with the machine, date and load.

Used by benchmarks/referral_create.py and benchmarks/attention_worklist.py.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

SRC = Path(__file__).resolve().parents[1] / "src"


def say(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def django_setup() -> str:
    """Django on DATABASE_URL's database, else a fresh SQLite one; returns the vendor."""
    if "DATABASE_URL" not in os.environ:
        os.environ["JOINEDUP_VAR_DIR"] = tempfile.mkdtemp(prefix="joinedup-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    os.environ["JOINEDUP_DEBUG"] = "0"  # no query log: measure what production runs
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return connection.vendor


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server() -> Iterator[int]:
    """`joinedup serve` on a free port with this process's environment (same database)."""
    port = _free_port()
    # The server's log goes to a file, not a pipe: runserver logs every request, and a pipe
    # nobody reads fills after ~64 KB and blocks the server mid-run.
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "joinedup", "serve", f"127.0.0.1:{port}", "--noreload"],
            env={**os.environ, "PYTHONPATH": str(SRC)},
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if proc.poll() is not None:
                        log.seek(0)
                        problem = log.read()[-2000:]
                        raise RuntimeError(f"the server stopped: {problem}") from None
                    time.sleep(0.2)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=30)


class Client:
    """A signed-in browser-like client: session and CSRF cookies."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookies: dict[str, str] = {}
        self.origin = f"http://127.0.0.1:{port}"

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            head |= {"X-CSRFToken": self.cookies.get("csrftoken", ""), "Origin": self.origin}
        head |= headers or {}
        # A new connection per request: runserver writes the headers and the body in separate
        # packets, and on a kept-alive connection Nagle's algorithm and delayed ACKs add ~40 ms.
        self.conn.close()
        self.conn.request(method, path, body=body, headers=head)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        return self.request(
            "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.get("/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, "no sign-in form"
        form = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        status, _ = self.request(
            "POST", "/sign-in/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, f"sign-in failed ({status})"


def timed(fn: Callable[[int], tuple[int, bytes]], n: int, ok: frozenset[int]) -> list[float]:
    """Milliseconds for n calls of fn(i); every answer must have a status in `ok`."""
    samples = []
    for i in range(n):
        started = time.perf_counter()
        status, body = fn(i)
        samples.append((time.perf_counter() - started) * 1000)
        if status not in ok:
            raise RuntimeError(f"unexpected HTTP {status}: {body[:500]!r}")
    return samples


def row(name: str, samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "request": name,
        "n": len(samples),
        "p50 ms": statistics.median(samples),
        "p95 ms": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max ms": ordered[-1],
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r.values())
            + " |"
        )
    return "\n".join(lines)


def machine(vendor: str) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.python_version()} · {vendor} · "
        f"load average {load}"
    )
