"""Keep a child process running: `kesu serve` starts the worker through this, so a worker that
dies (killed, out of memory, a crash) is reaped and started again within seconds instead of
leaving mail and reminders waiting until someone notices."""

import logging
import subprocess
import threading
import time

logger = logging.getLogger(__name__)


class Supervisor:
    """Runs `command` and restarts it whenever it exits, until `stop()`.

    A child that keeps dying right after it starts is restarted after a pause that doubles each
    time (up to `max_pause` seconds), so a broken configuration does not spin the machine; one
    that ran for `stable_after` seconds starts the count again.
    """

    def __init__(self, command: list[str], *, env: dict | None = None, min_pause: float = 1,
                 max_pause: float = 30, stable_after: float = 60):
        self.command = command
        self.env = env
        self.min_pause, self.max_pause, self.stable_after = min_pause, max_pause, stable_after
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._watcher.start()

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
