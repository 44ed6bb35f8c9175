"""Writing a different value to each of many rows in one statement.

Django's `bulk_update` builds a `When(pk=…)` expression per row and field and resolves each like
a filter: about a millisecond per row on the sweeper's batches, more than the SQL itself. This
writes the same `UPDATE … SET f = CASE pk WHEN … THEN … END … WHERE pk IN (…)` with the values as
parameters, prepared by each field as `save()` would. Plain SQL on both databases; PostgreSQL
wants the CASE cast to the column's type, as Django's backend says
(`requires_casted_case_in_updates`).
"""

from collections.abc import Sequence

from django.db import connections, router

# Rows per statement: well inside SQLite's 32,766 bound parameters for a few fields.
ROWS_PER_STATEMENT = 500


def update_rows(model, rows: dict[int, Sequence], fields: Sequence[str]) -> int:
    """Set `fields` of each row `pk` to `rows[pk]` (values in the order of `fields`); the
    number of rows updated. Runs in the caller's transaction."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    pk_column = quote(meta.pk.column)
    model_fields = [meta.get_field(name) for name in fields]
    cast = connection.features.requires_casted_case_in_updates
    items = list(rows.items())
    updated = 0
    for start in range(0, len(items), ROWS_PER_STATEMENT):
        chunk = items[start : start + ROWS_PER_STATEMENT]
        assignments, params = [], []
        for index, field in enumerate(model_fields):
            case = f"CASE {pk_column} {' '.join(['WHEN %s THEN %s'] * len(chunk))} END"
            if cast:
                case = f"CAST({case} AS {field.cast_db_type(connection)})"
            assignments.append(f"{quote(field.column)} = {case}")
            for pk, values in chunk:
                params += [pk, field.get_db_prep_save(values[index], connection)]
        ids = [pk for pk, _values in chunk]
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
            f"WHERE {pk_column} IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *ids])
            updated += cursor.rowcount
    return updated
