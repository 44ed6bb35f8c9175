"""Run the same work in several threads at once, each on its own database connection."""

import contextvars
import threading
import time

import pytest
from django.db import connection


def run_together(count: int, work, timeout: float = 60) -> list:
    """Call work(i) in `count` threads released together; each result or raised exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index):
        try:
            barrier.wait(timeout=timeout)
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - handed back to the test to judge
            results[index] = error
        finally:
            # Django opens one connection per thread; left open, it would outlive the test
            # database (PostgreSQL refuses to drop a database that has sessions).
            connection.close()

    # Each thread works at the test's moment (a frozen project clock is a context variable,
    # which a new thread does not inherit); one copy each, as a context runs in one thread.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(runner, i))
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread did not finish in time"
    return results


# --- Two connections in a chosen order (PostgreSQL) -------------------------------------------

# SQLite runs one writing transaction at a time: two writers never overlap there, so a race test
# would pass whether the code is right or not. These tests prove something on PostgreSQL only.
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race between two connections needs PostgreSQL; SQLite serialises writers",
)


def backend_pid() -> int:
    """The server process of this thread's connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_a_lock(pid: int) -> bool:
    """Whether that server process is blocked by another one's lock (live, not a snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


def wait_until(condition, timeout: float = 30, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the other thread neither finished nor waited for a lock")
        time.sleep(interval)


class Interleaving:
    """Two threads in a fixed order: the first runs until it calls `hold()` (from a hook the
    test patches in), the second then runs, and the first goes on once the second has finished
    or is blocked by a lock the first holds. Without the lock under test, the second commits
    in the middle of the first; with it, the second waits and the first finishes first.

        race = Interleaving()
        monkeypatch.setattr(module, "name", race.holding_after(module.name))
        first_result, second_result = race.run(first, second)
    """

    def __init__(self, timeout: float = 30):
        self.timeout = timeout
        self.reached = threading.Event()
        self.finished = threading.Event()
        self.held = False
        self._first_thread = None
        self._second_pid = None

    def hold(self) -> None:
        """Called in the first thread at the point the second should run: once, there only."""
        if threading.current_thread() is not self._first_thread or self.held:
            return
        self.held = True
        self.reached.set()
        wait_until(
            lambda: self.finished.is_set()
            or (self._second_pid is not None and waits_for_a_lock(self._second_pid)),
            self.timeout,
        )

    def holding_after(self, function):
        """`function`, calling hold() once it has returned (in the first thread)."""

        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            self.hold()
            return result

        return wrapper

    def holding_before(self, function):
        """`function`, calling hold() before it runs (in the first thread)."""

        def wrapper(*args, **kwargs):
            self.hold()
            return function(*args, **kwargs)

        return wrapper

    def run(self, first, second) -> list:
        """first() and second() on their own connections; each result or raised exception."""

        def work(index):
            if index == 0:
                self._first_thread = threading.current_thread()
                try:
                    return first()
                finally:
                    self.reached.set()  # never leave the second waiting for a hold that failed
            self._second_pid = backend_pid()
            try:
                assert self.reached.wait(self.timeout), "the first thread never reached hold()"
                return second()
            finally:
                self.finished.set()

        results = run_together(2, work, self.timeout * 2)
        assert self.held, "the first thread did not pass the point the test holds it at"
        return results
