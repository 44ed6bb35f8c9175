"""Drills: issue 10 parts 1–3 re-measured on a fresh instance, as an operator would.

    .venv/bin/python bench/failure_drills.py
    .venv/bin/python bench/failure_drills.py \
        --database-url postgres://postgres@127.0.0.1:5432/kesu_drills \
        --redis-url redis://127.0.0.1:6379/6

Sets up a throwaway instance in a temporary KESU_VAR_DIR (`kesu migrate`, `seed-holidays`,
`load-demo`, `collectstatic`), with a loopback SMTP server in this process that records each
message's arrival and Message-ID, then runs the real `kesu serve` and drills it through its
HTTP API, /healthz and `kill`:

  a. starvation: two 8D PDF exports just below the PDF's size limit (zh-hans and en), then a
     complaint whose acknowledgement mail must not wait for them; a third export far above
     the limit must be refused at once;
  b. killed worker: `kill -9` the default queue's worker; /healthz, the new worker's
     heartbeat, and the mails queued meanwhile; then a frozen worker (SIGSTOP), which only
     /healthz can reveal, killed in its turn;
  c. `kill -9` mid-delivery, with the SMTP server slow: nothing lost, copies only under the
     same Message-ID (a lost delivery is re-sent after the outbox's 5-minute lease).

A PostgreSQL database must be empty or missing: one the drill creates is dropped at the end
(unless --keep); REDIS_URL should be a database of its own. Lowers KESU_HEALTH_WORKER_SECONDS
to 30 (--health-worker-seconds) so that the frozen worker shows sooner; the outbox's 5-minute
lease is a constant, so (c) takes about six minutes. Prints figures; asserts nothing. With
--keep the temporary directory stays, with the server's log (kesu.log).
"""

import argparse
import asyncio
import email.parser
import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
KESU = str(Path(sys.executable).parent / "kesu")
PASSWORD = "drills-only-Pa55"
DOMAIN = "drills.example"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The mail server ---------------------------------------------------------------------------


class Recorder:
    """aiosmtpd handler: every message's arrival (monotonic), recipients and Message-ID. The
    next `slow` messages are held `delay` seconds after they arrived, before the 250 reply: a
    client killed meanwhile has delivered a message it never heard was accepted."""

    def __init__(self):
        # Re-entrant: the drill reads the counters and the messages under one hold.
        self.lock = threading.RLock()
        self.messages: list[tuple[float, tuple[str, ...], str]] = []
        self.slow, self.delay, self.holding = 0, 0.0, 0

    async def handle_DATA(self, server, session, envelope):
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.messages.append(
                (time.monotonic(), tuple(envelope.rcpt_tos), headers.get("Message-ID", ""))
            )
            hold = self.slow > 0
            if hold:
                self.slow -= 1
                self.holding += 1
        if hold:
            await asyncio.sleep(self.delay)
            with self.lock:
                self.holding -= 1
        return "250 Message accepted for delivery"

    def to(self, suffix: str) -> list[tuple[float, tuple[str, ...], str]]:
        with self.lock:
            return [m for m in self.messages if any(r.endswith(suffix) for r in m[1])]


# --- The instance ------------------------------------------------------------------------------


class Instance:
    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def run(self, *command: str) -> float:
        started = time.perf_counter()
        with self.log.open("a") as log:
            subprocess.run([KESU, *command], env=self.env, stdout=log, stderr=log, check=True)
        return time.perf_counter() - started

    def serve(self) -> None:
        log = self.log.open("a")
        self.process = subprocess.Popen(
            [KESU, "serve", "--port", str(self.port)], env=self.env, stdout=log, stderr=log,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # serve stops its workers (SIGTERM, 30 s) on its way out
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker(self, queue: str) -> int | None:
        """The pid of serve's worker child for `queue`, from /proc."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid and b"worker" in cmdline and queue.encode() in cmdline:
                return int(entry.name)
        return None

    def health(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, OSError):
            return 0, {}

    def api(self, method: str, path: str, token: str | None = None, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}/api/v1{path}", data=data, method=method,
            headers={"Accept": "application/json", "Accept-Language": "zh-hans",
                     **({"Content-Type": "application/json"} if data else {}),
                     **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                ctype = response.headers.get("Content-Type", "")
                return response.status, json.loads(raw) if "json" in ctype and raw else raw
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, {"raw": raw.decode(errors="replace")[:300]}


def wait_for(predicate, timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return None


def since(start: float, moment: float | None) -> str:
    return "never" if moment is None else f"{moment - start:.1f} s"


# --- Data prepared through the ORM, before serve starts ----------------------------------------


def fill_eightd(complaint, rows: int, chars: int, target: int | None) -> int:
    """Write a big 8D as its handler; with `target`, pad D8 until the PDF form holds just
    under `target` characters in both languages. Returns the larger count."""
    from django.utils import translation
    from eightd_export import document

    from kesu.eightd.export import layout
    from kesu.eightd.models import Discipline
    from kesu.eightd.selectors import customer_document, report_view
    from kesu.eightd.services import discipline_update

    def write(contents: dict) -> None:
        for code, content in contents.items():
            current = Discipline.objects.get(report__complaint=complaint, code=code)
            discipline_update(actor=complaint.handler, complaint=complaint, code=code,
                              version=current.version, content=content)

    def size() -> int:
        counts = []
        for language in ("zh-hans", "en"):
            with translation.override(language):
                document_ = customer_document(report_view(complaint))
                counts.append(layout.build(document_).characters())
        return max(counts)

    contents = {d["code"]: d["content"] for d in document(rows, chars)["disciplines"]}
    write(contents)
    if target is None:
        return size()
    # One more D3 row whose text makes up the difference, to within a thousand characters.
    pad = {"location": "our_stock", "action": "", "qty_checked": 1, "qty_bad": 0,
           "owner": "仓库李工", "start": "2026-03-10", "end": "2026-03-10", "effectiveness": "OK"}
    actions = contents["d3"]["actions"]
    for _ in range(5):
        missing = target - size()
        if 0 <= missing < 1000:
            break
        length = max(1, min(4000, len(pad["action"]) + missing))
        pad = {**pad, "action": (actions[0]["action"] * 2)[:length]}
        write({"d3": {**contents["d3"], "actions": [*actions, pad]}})
    return size()


# --- The drills --------------------------------------------------------------------------------


def new_complaint(kesu: Instance, token: str, refs: dict, contact: str):
    body = {
        "kind": "complaint", "category": "quality", "severity": "general", "channel": "email",
        "customer": refs["customer"], "contact_name": "演练", "contact_email": contact,
        "products": [refs["product"]], "quantity_affected": 1,
        "title": "演练：确认邮件", "description": "故障演练自动创建。",
        "remedies": ["8d_report"],
    }
    status, answer = kesu.api("POST", "/complaints", token, body)
    if status != 201:
        raise RuntimeError(f"POST /complaints: {status} {answer}")
    return answer["number"]


def drill_starvation(kesu, smtp, tokens, refs, big, huge):
    from pypdf import PdfReader

    print("\n(a) starvation: two maximum-size PDF exports, then a complaint")
    started = time.monotonic()
    exports = {}
    for language in ("zh-hans", "en"):
        status, answer = kesu.api("POST", f"/complaints/{big}/8d/exports", tokens["engineer"],
                                  {"format": "pdf", "language": language})
        print(f"  export {language}: HTTP {status} after {time.monotonic() - started:.1f} s"
              + ("" if status == 202 else f": {answer}"))
        if status == 202:
            exports[answer["id"]] = language
    created = time.monotonic()
    new_complaint(kesu, tokens["agent"], refs, f"ack-a@{DOMAIN}")
    print(f"  complaint with contact e-mail recorded {created - started:.1f} s after the "
          f"first export was asked for ({time.monotonic() - created:.1f} s request)")
    finished: dict[int, dict] = {}

    def settled():
        status, listed = kesu.api("GET", f"/complaints/{big}/8d/exports", tokens["engineer"])
        for item in listed if status == 200 else []:
            if item["id"] in exports and item["id"] not in finished and item["status"] in (
                "done", "failed"
            ):
                finished[item["id"]] = item
        return len(finished) == len(exports) and smtp.to(f"ack-a@{DOMAIN}")

    wait_for(settled, timeout=900)
    ack = smtp.to(f"ack-a@{DOMAIN}")
    print(f"  acknowledgement mail at the SMTP server: "
          f"{since(created, ack[0][0] if ack else None)} after the complaint was posted")
    for export_id, language in exports.items():
        item = finished.get(export_id)
        if item is None:
            print(f"  export {language}: not finished after 900 s")
            continue
        pages = ""
        if item["status"] == "done":
            status, data = kesu.api("GET", item["file_url"].removeprefix("/api/v1"),
                                    tokens["engineer"])
            if status == 200:
                pages = f", {len(PdfReader(io.BytesIO(data)).pages)} pages, " \
                        f"{len(data) / 1024:.0f} KiB"
        stamps = {k: datetime.fromisoformat(item[k])
                  for k in ("requested_at", "started_at", "finished_at") if item[k]}
        took = (stamps["finished_at"] - stamps["requested_at"]).total_seconds()
        ran = (stamps["finished_at"] - stamps.get("started_at", stamps["finished_at"]))
        ran = ran.total_seconds()
        print(f"  export {language}: {item['status']} {took:.1f} s after it was asked for "
              f"(rendering {ran:.1f} s){pages}" + (f"; {item['error']}" if item["error"] else ""))
    asked = time.monotonic()
    status, answer = kesu.api("POST", f"/complaints/{huge}/8d/exports", tokens["engineer"],
                              {"format": "pdf", "language": "zh-hans"})
    message = answer.get("message") if isinstance(answer, dict) else answer
    print(f"  export far above the limit: HTTP {status} in {time.monotonic() - asked:.2f} s: "
          f"{message}")


def heartbeat_of(pid: int) -> bool:
    from kesu.core.models import Heartbeat

    return Heartbeat.objects.filter(name__startswith="worker:default:", pid=pid).exists()


def drill_killed_worker(kesu, smtp, tokens, refs, mails: int, threshold: int):
    print(f"\n(b) killed worker: kill -9 of the default queue's worker "
          f"(KESU_HEALTH_WORKER_SECONDS={threshold}, heartbeat every 15 s)")
    if not wait_for(lambda: kesu.health()[0] == 200, timeout=180, every=1):
        print(f"  /healthz not 200 before the drill: {kesu.health()}")
    old = kesu.worker("default")
    killed = time.monotonic()
    os.kill(old, signal.SIGKILL)
    print(f"  killed worker pid {old}; {mails} complaints with contacts recorded meanwhile")
    for n in range(mails):
        new_complaint(kesu, tokens["agent"], refs, f"b{n}@b.{DOMAIN}")
    red = new_pid = beat = green = None
    while time.monotonic() - killed < 240:
        status, _body = kesu.health()
        now = time.monotonic()
        if status == 503 and red is None:
            red = now
        pid = kesu.worker("default")
        if pid and pid != old and new_pid is None:
            new_pid = now
        if pid and pid != old and beat is None and heartbeat_of(pid):
            beat = now
        if beat and status == 200 and green is None:
            green = now
        if green and len(smtp.to(f"@b.{DOMAIN}")) >= mails:
            break
        time.sleep(1)
    print(f"  /healthz 503: {since(killed, red)}"
          + ("" if red else f" (within the {threshold} s heartbeat threshold the worker was back)"))
    print(f"  new worker process: {since(killed, new_pid)}; its heartbeat: {since(killed, beat)}; "
          f"/healthz 200 with it: {since(killed, green)}")
    delivered = smtp.to(f"@b.{DOMAIN}")
    print(f"  mails queued meanwhile delivered: {len(delivered)} of {mails}"
          + (f", last {since(killed, max(m[0] for m in delivered))} after the kill"
             if delivered else ""))

    print("  frozen worker: SIGSTOP of the default worker (alive to its supervisor, silent)")
    frozen = kesu.worker("default")
    stopped = time.monotonic()
    os.kill(frozen, signal.SIGSTOP)
    red = wait_for(lambda: kesu.health()[0] == 503 and time.monotonic(), timeout=threshold + 90,
                   every=1)
    print(f"  /healthz 503: {since(stopped, red)}")
    killed = time.monotonic()
    os.kill(frozen, signal.SIGKILL)
    green = wait_for(
        lambda: (pid := kesu.worker("default")) and pid != frozen and heartbeat_of(pid)
        and kesu.health()[0] == 200 and time.monotonic(),
        timeout=240, every=1,
    )
    print(f"  then kill -9: new worker's heartbeat and /healthz 200 {since(killed, green)} "
          f"after the kill")


def drill_mid_delivery(kesu, smtp, tokens, refs, count: int, slow: int, delay: float,
                       kill_after: int):
    from kesu.notifications.choices import Status
    from kesu.notifications.models import Notification

    print(f"\n(c) kill -9 mid-delivery: {count} complaints with contacts, SMTP holds the first "
          f"{slow} messages {delay:g} s before accepting")
    suffix = f"@c.{DOMAIN}"
    with smtp.lock:
        smtp.slow, smtp.delay = slow, delay
    started = time.monotonic()
    killed_at = None
    for n in range(count):
        new_complaint(kesu, tokens["agent"], refs, f"c{n}{suffix}")
        if n + 1 == kill_after:
            wait_for(lambda: smtp.holding > 0, timeout=60, every=0.05)
            with smtp.lock:
                holding, received = smtp.holding, len(smtp.to(suffix))
            pid = kesu.worker("default")
            os.kill(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            print(f"  kill -9 of worker {pid} after {n + 1} complaints, "
                  f"{killed_at - started:.1f} s in: {received} messages had arrived, "
                  f"{holding} of them waiting for the server's 250")
    if killed_at is None:
        print("  (not killed: fewer complaints than --kill-after)")
        killed_at = time.monotonic()
    ours = Notification.objects.filter(channel="email", address__endswith=suffix)
    busy = Notification.objects.filter(status__in=[Status.PENDING, Status.SENDING])
    empty = wait_for(lambda: not busy.exists() and time.monotonic(), timeout=660, every=2)
    print(f"  outbox empty {since(killed_at, empty)} after the kill"
          + ("" if empty else f" ({busy.count()} still pending or sending)"))
    time.sleep(2)  # a reply in flight
    rows = list(ours.values_list("address", "email_message_id", "status"))
    received = smtp.to(suffix)
    ids = [m[2] for m in received]
    known = {message_id for _address, message_id, _status in rows}
    got = set(ids)
    lost = [address for address, message_id, _status in rows if message_id not in got]
    duplicates = sum(ids.count(i) - 1 for i in got)
    new_ids = sum(1 for m in received if m[2] not in known)
    by_address: dict[str, set] = {}
    for _at, recipients, message_id in received:
        for recipient in recipients:
            by_address.setdefault(recipient, set()).add(message_id)
    per_recipient = sum(len(found) - 1 for found in by_address.values())
    statuses = {s: sum(1 for row in rows if row[2] == s) for s in {row[2] for row in rows}}
    print(f"  notifications (e-mail to the contacts): {len(rows)} {statuses}")
    print(f"  messages received: {len(received)}")
    print(f"  lost (never received): {len(lost)}" + (f" {lost}" if lost else ""))
    print(f"  duplicates under the same Message-ID (dropped by mail servers): {duplicates}")
    print(f"  copies with a new Message-ID: {max(new_ids, per_recipient)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None,
                        help="default: SQLite in the temporary directory")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--health-worker-seconds", type=int, default=30)
    parser.add_argument("--mails", type=int, default=5, help="(b) mails queued meanwhile")
    parser.add_argument("--notifications", type=int, default=20, help="(c) how many")
    parser.add_argument("--slow", type=int, default=6, help="(c) messages the server holds")
    parser.add_argument("--delay", type=float, default=2.0, help="(c) seconds it holds each")
    parser.add_argument("--kill-after", type=int, default=4, help="(c) complaints before kill")
    parser.add_argument("--drills", default="abc")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    var = Path(tempfile.mkdtemp(prefix="kesu-drills-"))
    port, smtp_port = free_port(), free_port()
    database = args.database_url or f"sqlite:///{var / 'kesu.sqlite3'}"
    env = {
        **os.environ, "KESU_VAR_DIR": str(var), "DATABASE_URL": database,
        "REDIS_URL": args.redis_url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
        "KESU_DEMO_PASSWORD": PASSWORD, "PORT": str(port),
        "KESU_HEALTH_WORKER_SECONDS": str(args.health_worker_seconds),
        "DJANGO_SETTINGS_MODULE": "kesu.settings", "PYTHONUNBUFFERED": "1",
    }
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"})
    smtp = Recorder()
    controller = Controller(smtp, hostname="127.0.0.1", port=smtp_port)
    kesu = Instance(env, port, var / "kesu.log")
    created = False
    print(f"instance: {var}, {database.split('@')[-1]}, queues "
          f"{'Redis ' + args.redis_url if args.redis_url else 'SQLite'}, port {port}, "
          f"SMTP 127.0.0.1:{smtp_port}; KESU_HEALTH_WORKER_SECONDS={args.health_worker_seconds}"
          f" (others default)")
    try:
        controller.start()
        if args.database_url:
            created = create_database(args.database_url)
        for command in (["migrate", "-v", "0"], ["seed-holidays"], ["load-demo"],
                        ["collectstatic", "--noinput", "-v", "0"]):
            print(f"  kesu {command[0]}: {kesu.run(*command):.1f} s")

        import django

        django.setup()
        # Django's logging configuration would print every SMTP command the server sees.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        from kesu.complaints.models import Complaint
        from kesu.eightd.export.pdf import MAX_CHARACTERS

        candidates = list(
            Complaint.objects.filter(status="analysis", handler__username="engineer",
                                     severity__in=["serious", "major"]).order_by("number")
        )
        big, huge = candidates[0], candidates[1]
        started = time.perf_counter()
        size = fill_eightd(big, 6, 4000, target=MAX_CHARACTERS - 500)
        print(f"  8D of {big.number}: {size:,} characters (the PDF takes {MAX_CHARACTERS:,}); "
              f"8D of {huge.number}: {fill_eightd(huge, 50, 4000, None):,} characters; "
              f"{time.perf_counter() - started:.1f} s")

        started = time.monotonic()
        kesu.serve()
        up = wait_for(lambda: kesu.health()[0] and time.monotonic(), timeout=120)
        green = wait_for(lambda: kesu.health()[0] == 200 and time.monotonic(), timeout=180,
                         every=1)
        print(f"kesu serve: answering {since(started, up)}, /healthz 200 {since(started, green)}")
        tokens = {}
        for user in ("agent", "engineer"):
            status, answer = kesu.api("POST", "/auth/token", body={
                "username": user, "password": PASSWORD, "name": "drills"})
            tokens[user] = answer["token"]
        refs = {
            "customer": kesu.api("GET", "/customers?limit=1", tokens["agent"])[1]["items"][0]["id"],
            "product": kesu.api("GET", "/products?active=true&limit=1",
                                tokens["agent"])[1]["items"][0]["id"],
        }
        if "a" in args.drills:
            drill_starvation(kesu, smtp, tokens, refs, big.number, huge.number)
        if "b" in args.drills:
            drill_killed_worker(kesu, smtp, tokens, refs, args.mails, args.health_worker_seconds)
        if "c" in args.drills:
            drill_mid_delivery(kesu, smtp, tokens, refs, args.notifications, args.slow,
                               args.delay, args.kill_after)
    finally:
        kesu.stop()
        controller.stop()
        if created and not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url)
        if args.keep:
            print(f"kept {var} (server log: {kesu.log})")
        else:
            shutil.rmtree(var, ignore_errors=True)


def _admin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def create_database(url: str) -> bool:
    """Create the drill's PostgreSQL database if it does not exist; whether it was created."""
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [name]).fetchone():
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
        return True


def drop_database(url: str) -> None:
    """Drop the database this run created (never one it found)."""
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
