"""Keep a child process running: `kesu serve` starts the worker through this, so a worker that
dies (killed, out of memory, a crash) is reaped and started again within seconds instead of
leaving mail and reminders waiting until someone notices. A worker that hangs (frozen, stopped,
stuck where even its heartbeat thread cannot run) is killed and started again the same way."""

import logging
import subprocess
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Supervisor:
    """Runs `command` and restarts it whenever it exits, until `stop()`.

    A child that keeps dying right after it starts is restarted after a pause that doubles each
    time (up to `max_pause` seconds), so a broken configuration does not spin the machine; one
    that ran for `stable_after` seconds starts the count again.

    With `silence`, a function giving the seconds since the child (by pid) last said it is alive
    (None: not yet, or cannot tell), a child silent for longer than `hung_after` is killed and
    so restarted. A child that cannot be asked about (the database is down) is left alone: the
    whole instance is unwell then, and killing workers would not help.
    """

    def __init__(self, command: list[str], *, env: dict | None = None, min_pause: float = 1,
                 max_pause: float = 30, stable_after: float = 60,
                 silence: Callable[[int], float | None] | None = None,
                 hung_after: float = 120, check_every: float = 10):
        self.command = command
        self.env = env
        self.min_pause, self.max_pause, self.stable_after = min_pause, max_pause, stable_after
        self.silence, self.hung_after, self.check_every = silence, hung_after, check_every
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.hangs = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._watcher.start()
        if self.silence is not None:
            threading.Thread(target=self._watch_silence, name="hang-check", daemon=True).start()

    def _spawn(self) -> None:
        # Its own session, so that Ctrl-C reaches only the supervising process, which then
        # stops the child gracefully instead of both being interrupted at once.
        self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)
        self._started_at = time.monotonic()

    def _watch(self) -> None:
        pause = self.min_pause
        while not self._stopping.is_set():
            code = self.process.wait()  # reaps it: no zombie is left behind
            if self._stopping.is_set():
                return
            ran = time.monotonic() - self._started_at
            pause = self.min_pause if ran >= self.stable_after else pause
            logger.error(
                "worker (pid %s) exited with %s after %.0f s; starting it again in %.0f s",
                self.process.pid, code, ran, pause,
            )
            if self._stopping.wait(pause):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self._spawn()
                self.restarts += 1
            pause = min(self.max_pause, pause * 2)

    def _watch_silence(self) -> None:
        while not self._stopping.wait(self.check_every):
            with self._lock:
                process, started = self.process, self._started_at
            if process.poll() is not None or time.monotonic() - started < self.hung_after:
                continue  # exited (the watcher restarts it), or still starting
            try:
                silent = self.silence(process.pid)
            except Exception:
                logger.exception("cannot tell whether worker (pid %s) is alive", process.pid)
                continue
            if silent is not None and silent <= self.hung_after:
                continue
            with self._lock:
                if self._stopping.is_set() or process is not self.process:
                    continue
                logger.error(
                    "worker (pid %s) has not said it is alive for %s s: killing it to start "
                    "another", process.pid, "ever" if silent is None else f"{silent:.0f}",
                )
                self.hangs += 1
                # SIGKILL: a stopped or wedged process cannot act on SIGTERM.
                process.kill()

    def stop(self, timeout: float) -> None:
        """Ask the child to finish what it has in hand (SIGTERM); kill it after `timeout`."""
        self.request_stop()
        self.wait_stopped(timeout)

    def request_stop(self) -> None:
        with self._lock:
            self._stopping.set()
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()

    def wait_stopped(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
