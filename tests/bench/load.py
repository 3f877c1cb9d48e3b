"""A small closed-loop load driver: N logged-in clients request one page as fast as they can for a fixed time.

Standard library only (http.client with keep-alive, one connection per client thread), so what is measured is
the server, not a heavy client. Every request is counted; non-200 answers are reported, never hidden.
"""

import gzip
import http.client
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass

QUERIES_HEADER = "X-Queries"  # the number of queries a request ran, as the bench's server answers it


@dataclass
class PageResult:
    name: str
    path: str
    latencies_ms: list[float]
    errors: int
    seconds: float

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds


class Session:
    """One logged-in browser-like client on its own keep-alive connection."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.last_headers: dict[str, str] = {}  # of the last answer, names in lower case

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        # As a browser asks: pages come gzipped (config/compression.py), so compressing them is measured too.
        headers = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        self.last_headers = {name.lower(): value for name, value in response.getheaders()}
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({status})")


def drive(sessions: list[Session], name: str, path: str, seconds: float) -> PageResult:
    """All sessions request `path` back to back for `seconds`; returns every latency."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(session: Session):
        local, local_errors = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                status, _ = session.request("GET", path)
            except (http.client.HTTPException, OSError):
                status = 0  # a timeout or a dropped connection counts as an error, with its latency
            local.append((time.perf_counter() - start) * 1000)
            if status != 200:
                local_errors += 1
        with lock:
            latencies.extend(local)
            errors[0] += local_errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return PageResult(name, path, latencies, errors[0], time.perf_counter() - started)
