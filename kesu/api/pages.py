"""Limit/offset pages with the count: two queries whatever the page size.

The count stops at `kesu.core.paging.CAP` rows as the pages' does (`count_capped` says so):
an exact COUNT over a million-row ledger costs more than the page itself.
"""

from django.db.models import QuerySet
from ninja import Field, Schema

from kesu.core.bounds import DB_INT_MAX
from kesu.core.paging import LedgerPaginator

MAX_LIMIT = 200


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    # Beyond 64 bits the database cannot even be asked (SQLite raises OverflowError).
    offset: int = Field(0, ge=0, le=DB_INT_MAX - MAX_LIMIT)


def paginate(queryset: QuerySet, page: PageParams) -> dict:
    counted = LedgerPaginator(queryset, page.limit)
    return {
        "count": counted.shown_count,
        "count_capped": counted.capped,
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset : page.offset + page.limit]),
    }
