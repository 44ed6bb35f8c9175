"""Conditions that let SQLite use a partial index.

SQLite uses a partial index only when the query states the index's condition itself, and a
bound parameter does not count: `status IN (?, ?)` never matches an index `WHERE status IN
('a', 'b')`. Django binds every value, so a query that should read such an index states its
condition with `LiteralIn`, which writes the (fixed, code-defined) values into the SQL. The
values are checked to be plain codes, so nothing from outside can reach the SQL this way.
PostgreSQL proves the condition either way; the same text serves both.
"""

import re
from collections.abc import Sequence

from django.db.models import BooleanField, Expression, F

_CODE = re.compile(r"[a-z0-9_]+")


class LiteralIn(Expression):
    """`field IN ('a', 'b', …)` with the values in the SQL text, in the order given: the order
    of the index's condition, which SQLite compares term by term."""

    output_field = BooleanField()

    def __init__(self, field: str, values: Sequence[str]):
        super().__init__()
        bad = [value for value in values if not _CODE.fullmatch(value)]
        if bad or not values:
            raise ValueError(f"LiteralIn takes plain codes, not {bad or 'nothing'}")
        self.column = F(field)
        self.values = tuple(values)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        values = ", ".join(f"'{value}'" for value in self.values)
        return f"{column} IN ({values})", params
