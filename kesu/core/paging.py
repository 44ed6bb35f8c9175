"""Pages of a ledger that may hold a million rows (SPEC §14).

An exact COUNT walks every matching row: at a million complaints that is most of a list page's
time, for a figure nobody reads past "many". `LedgerPaginator` counts at most `CAP` rows (a
person's queue `WORK_CAP`) and says "more than" beyond; the pages up to the cap stay reachable,
and a filter narrows the rest.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000
# A person's own queue ("my work") counts to a thousand: beyond that the figure tells them
# nothing more, and testing who may act on each open row costs about a microsecond and a half
# a row on PostgreSQL (60–90 ms to count ten thousand at a million complaints).
WORK_CAP = 1_000


class LedgerPaginator(Paginator):
    def __init__(self, object_list, per_page, *, work: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.work = work

    @property
    def cap(self) -> int:
        return WORK_CAP if self.work else CAP

    @cached_property
    def count(self) -> int:
        # COUNT over a LIMITed subquery: bounded work however large the set. Unordered: a
        # sliced query keeps its ORDER BY, and sorting rows only to count them doubled the
        # cost of "my work". Ids only, without the page's joins (a join to a required row
        # counts the same): PostgreSQL joined every counted row to its customer and people.
        rows = self.object_list.order_by().select_related(None).values("pk")
        return rows[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted (the count reads the cap + 1)."""
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.cap)
