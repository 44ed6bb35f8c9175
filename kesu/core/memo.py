"""Reads shared by the parts of one page (issue 11: the complaint page's next step asks the 8D's
gates, and the 8D card shows the same report: read it once).

Only inside `page_reads()` is anything remembered, and only until it ends; a page opens it
around drawing itself and writes nothing inside it. Services never run inside one, so a gate
judged in a transaction always reads afresh.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_reads: ContextVar[dict | None] = ContextVar("kesu_page_reads", default=None)


@contextmanager
def page_reads() -> Iterator[None]:
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def remembered(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per key inside `page_reads()`; every time outside it."""
    reads = _reads.get()
    if reads is None:
        return compute()
    if key not in reads:
        reads[key] = compute()
    return reads[key]
