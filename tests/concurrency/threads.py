"""Run the same work in several threads at once, each on its own database connection."""

import contextvars
import threading

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
