"""Bench: load on the main pages and API of a running Kesu, at c=1 and c=16 (issue 12 §5).

    # against a server you started (any database):
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000
    # or let the script start one on a free loopback port with the same environment, and stop it:
    DATABASE_URL=sqlite:////work/benchdata/kesu-100k.sqlite3 KESU_VAR_DIR=/work/benchdata/var100k \
        .venv/bin/python bench/load.py --serve gunicorn --seconds 10

Logs in as the demo personas (session cookie through the login form, as a browser does) and
takes an API token for the agent, then runs each line for --seconds or --requests, whichever
comes first, at each concurrency, and prints p50 / p95 / requests per second. Every request
goes to loopback; every loop is bounded. "API create" writes complaints: point it at a copy of
a shared data set, or leave it out with --only.

Why a Python client and not wrk: the standard library's http.client in threads needs nothing
installed, logs in through the CSRF-protected form, posts JSON and runs on Windows too; one
request costs the client well under a millisecond, against tens to hundreds of milliseconds
on the server, so the client does not distort the figures at c=16 on two cores. Threads, not
processes, keep the client to a fraction of one core.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = os.environ.get("KESU_DEMO_PASSWORD", "demo12345pw")


class Client:
    """One keep-alive connection with a cookie jar; reconnects when the server closes."""

    def __init__(self, base: str, cookies: dict | None = None, token: str | None = None):
        parts = urlsplit(base)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("Loopback only: the bench never loads another machine.")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies = dict(cookies or {})
        self.token = token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                # The server closed a kept-alive connection (gunicorn's sync workers do).
                self.conn.close()
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, data


def login(base: str, username: str) -> dict:
    client = Client(base)
    status, page = client.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"username": username, "password": PASSWORD,
                      "csrfmiddlewaretoken": token}).encode()
    status, _ = client.request("POST", "/login/", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/login/",
    })
    if status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"Login as {username} failed ({status}); is KESU_DEMO_PASSWORD right?")
    return client.cookies


def api_token(base: str, username: str) -> str:
    client = Client(base)
    body = json.dumps({"username": username, "password": PASSWORD, "name": "bench"}).encode()
    status, data = client.request("POST", "/api/v1/auth/token", body,
                                  {"Content-Type": "application/json"})
    if status != 201:
        raise SystemExit(f"API token for {username} failed ({status}): {data[:200]!r}")
    return json.loads(data)["token"]


def run(make_client, request, concurrency: int, seconds: float, max_requests: int):
    """`request(client, i)` → (status, ok) from `concurrency` threads, bounded in time and count."""
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(max_requests))
    deadline = time.perf_counter() + seconds

    def worker():
        client = make_client()
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            start = time.perf_counter()
            try:
                status, ok = request(client, i)
            except Exception as exc:  # noqa: BLE001 — counted and shown, never retried
                status, ok = repr(exc)[:80], False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed * 1000)
                if not ok:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 150)
    wall = time.perf_counter() - started
    return latencies, errors, wall


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def lines(base: str, agent: dict, engineer: dict, token: str, number: str, create_body: dict):
    def page(cookies, path):
        def request(client, i):
            status, _ = client.request("GET", path)
            return status, status == 200
        return (lambda: Client(base, cookies)), request

    def api_get(path):
        def request(client, i):
            status, _ = client.request("GET", path)
            return status, status == 200
        return (lambda: Client(base, token=token)), request

    def api_create():
        def request(client, i):
            body = dict(create_body, title=f"基准创建 {i}")
            status, data = client.request("POST", "/api/v1/complaints",
                                          json.dumps(body).encode(),
                                          {"Content-Type": "application/json"})
            return (status if status == 201 else f"{status} {data[:80]!r}"), status == 201
        return (lambda: Client(base, token=token)), request

    return {
        "list": ("complaint list (25 rows), agent", *page(agent, "/complaints/")),
        "search": ("list, text search 划伤, agent",
                   *page(agent, "/complaints/?text=" + quote("划伤"))),
        "dept": ("list, engineer (department-scoped)", *page(engineer, "/complaints/")),
        "mywork-agent": ("my work, agent", *page(agent, "/")),
        "mywork-engineer": ("my work, engineer", *page(engineer, "/")),
        "complaint": (f"complaint page {number}", *page(agent, f"/complaints/{number}/")),
        "8d": (f"8D page {number}", *page(agent, f"/complaints/{number}/8d/")),
        "api-list": ("API list, 50 rows", *api_get("/api/v1/complaints?limit=50")),
        "api-create": ("API create", *api_create()),
    }


def pick_subject(base: str, token: str) -> tuple[str, dict]:
    """A closed complaint-kind complaint (full timeline and 8D) and a valid create body."""
    client = Client(base, token=token)
    _, data = client.request("GET", "/api/v1/complaints?status=closed&kind=complaint&limit=1")
    found = json.loads(data)
    item = found["items"][0]
    _, data = client.request("GET", "/api/v1/customers?limit=1")
    customer = json.loads(data)["items"][0]["id"]
    _, data = client.request("GET", "/api/v1/products?limit=1")
    product = json.loads(data)["items"][0]["id"]
    body = {
        "kind": "complaint", "category": "quality", "severity": "general",
        "customer": customer, "contact_name": "王工", "products": [product],
        "description": "来料检验发现划伤，要求8D报告。", "remedies": ["8d_report"],
    }
    return item["number"], body


def resident_mb(pid: int) -> dict[int, float]:
    """Resident memory (MB) of `pid` and its children, from /proc (Linux); {} elsewhere."""
    proc = Path("/proc")
    if not proc.exists():
        return {}
    found = {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(stat.parent.name) == pid or int(fields[1]) == pid:
                status = (stat.parent / "status").read_text()
                kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                found[int(stat.parent.name)] = kb / 1024
        except (OSError, AttributeError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, workers: int | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "LOG_LEVEL": "WARNING"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    python = sys.executable
    if kind == "gunicorn":
        command = [str(Path(python).with_name("gunicorn")), "-c", "python:kesu.gunicorn_conf",
                   "--access-logfile", "/dev/null", "kesu.wsgi"]
    else:
        # No worker: the bench measures the web process; queued tasks wait.
        command = [str(Path(python).with_name("kesu")), "serve", "--port", str(port),
                   "--no-worker"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):  # up to 60 s to start
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit(f"{kind} exited with {process.returncode}")
        try:
            if Client(base).request("GET", "/healthz")[0] in (200, 503):
                return process, base
        except OSError:
            continue
    process.terminate()
    raise SystemExit(f"{kind} did not answer on {base}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:8000")
    parser.add_argument("--serve", choices=["kesu", "gunicorn"], default="gunicorn",
                        help="without --url: start this server (stopped at the end)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: one per core)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per line and concurrency")
    parser.add_argument("--requests", type=int, default=2000, help="cap per line and concurrency")
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--only", help="comma-separated line keys, e.g. list,8d,api-create")
    parser.add_argument("--warmup", type=int, default=3, help="requests per line before timing")
    args = parser.parse_args()

    process = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        process, base = start_server(args.serve, args.workers)
    try:
        agent, engineer = login(base, "agent"), login(base, "engineer")
        token = api_token(base, "agent")
        number, create_body = pick_subject(base, token)
        table = lines(base, agent, engineer, token, number, create_body)
        keys = args.only.split(",") if args.only else list(table)
        levels = [int(c) for c in args.concurrency.split(",")]
        print(f"{base} ({'own ' + args.serve if process else 'given'}), load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
              f"{args.seconds:g} s / ≤{args.requests} requests per run")
        print(f"{'line':<40} {'c':>3} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'rps':>7}  errors")
        for key in keys:
            label, make_client, request = table[key]
            warm = make_client()
            for i in range(args.warmup):
                request(warm, -1 - i)
            for concurrency in levels:
                latencies, errors, wall = run(make_client, request, concurrency,
                                              args.seconds, args.requests)
                if not latencies:
                    print(f"{label:<40} {concurrency:>3} no answer")
                    continue
                print(f"{label:<40} {concurrency:>3} {len(latencies):>5} "
                      f"{statistics.median(latencies):>8.1f} "
                      f"{percentile(latencies, 0.95):>8.1f} {len(latencies) / wall:>7.1f}  "
                      f"{len(errors)}{' e.g. ' + str(errors[0]) if errors else ''}",
                      flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if process is not None:
            memory = resident_mb(process.pid)
            print("resident memory after the runs (MB): " + ", ".join(
                f"{'master' if pid == process.pid else 'worker'} {mb:.0f}"
                for pid, mb in sorted(memory.items())))
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
