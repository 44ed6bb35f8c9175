"""The complaints' full-text search (issue 13): what a complaint's document holds, keeping it
current, and matching it. How Chinese is cut and how each database indexes is
`kesu.core.search`'s; this module only says what is searched.

A complaint's document is its number, title, description, contact, order number and customer's
reference, its customer's name, its products' codes and names and its lots' numbers, plus what
the apps above contribute through `register` (the 8D: D4 root causes and D7 lessons learned):
the complaint app never imports them (STYLE habit 13).

The services call `search_index` inside their transaction after a write that changes any of it
(recording and editing a complaint here; the 8D when a discipline is saved)."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Q

from kesu.complaints.models import Complaint, SearchDocument
from kesu.core import search

# Each contributor maps complaint ids to extra text for their documents (one query for all).
_contributors: list[Callable[[list[int]], dict[int, str]]] = []


def register(contributor: Callable[[list[int]], dict[int, str]]) -> None:
    """An app adds text to the complaints' documents (from its AppConfig.ready())."""
    if contributor not in _contributors:
        _contributors.append(contributor)


def _texts(ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    rows = Complaint.objects.filter(pk__in=ids).values_list(
        "pk", "number", "title", "description", "contact_name", "order_number",
        "customer_reference", "customer__name",
    )
    for pk, *values in rows:
        texts[pk].extend(value for value in values if value)
    products = Complaint.products.through.objects.filter(complaint_id__in=ids).values_list(
        "complaint_id", "product__code", "product__name"
    )
    for pk, code, name in products:
        texts[pk].extend((code, name))
    lots = Complaint.lots.through.objects.filter(complaint_id__in=ids).values_list(
        "complaint_id", "lot__number"
    )
    for pk, number in lots:
        texts[pk].append(number)
    for contributor in _contributors:
        for pk, text in contributor(ids).items():
            if text:
                texts[pk].append(text)
    return texts


def search_index_new(complaint: Complaint, *, products, lots) -> None:
    """Write the document of a complaint being recorded from what the service holds: one
    INSERT. Nothing of other apps exists yet (they start in `lifecycle.created`, after it)."""
    texts = [
        complaint.number, complaint.title, complaint.description, complaint.contact_name,
        complaint.order_number, complaint.customer_reference, complaint.customer.name,
        *(f"{product.code} {product.name}" for product in products),
        *(lot.number for lot in lots),
    ]
    SearchDocument.objects.create(complaint=complaint, terms=search.document(*texts))


def search_index(complaints: Iterable[Complaint | int]) -> None:
    """Write the documents of these complaints afresh (inside the caller's transaction)."""
    ids = [c if isinstance(c, int) else c.pk for c in complaints]
    if not ids:
        return
    texts = _texts(ids)
    SearchDocument.objects.filter(complaint_id__in=ids).delete()
    SearchDocument.objects.bulk_create(
        [SearchDocument(complaint_id=pk, terms=search.document(*texts.get(pk, ()))) for pk in ids]
    )


def search_reindex(*, batch: int = 1000, missing_only: bool = False, progress=None) -> int:
    """Rebuild the documents of every complaint (or of those without one), `batch` at a time,
    each batch one transaction. Returns how many were written."""
    from django.db import transaction

    complaints = Complaint.objects.order_by("pk")
    if missing_only:
        complaints = complaints.filter(search_document__isnull=True)
    done, last = 0, 0
    while True:
        ids = list(complaints.filter(pk__gt=last).values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic():
            search_index(ids)
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(done)


def text_filter(text: str) -> Q | None:
    """The complaints whose document holds every word of `text` (None: nothing to look for;
    punctuation alone matches nothing)."""
    if not text.strip():
        return None
    query = search.query_terms(text.replace("\x00", " "))
    table = SearchDocument._meta.db_table
    qn = connection.ops.quote_name
    outer = f"{qn(Complaint._meta.db_table)}.{qn('id')}"
    matches = search.matching(connection, table, "complaint_id", query, outer)
    return Q(pk__in=[]) if matches is None else Q(matches)


def similar(text: str, *, limit: int) -> tuple[list[str], list[tuple[int, float]]]:
    """The significant words of `text` and the complaints holding any of them, best first."""
    words = search.significant(text)
    table = SearchDocument._meta.db_table
    return words, search.ranked(connection, table, "complaint_id", words, limit)


def document_terms(ids: list[int]) -> dict[int, set[str]]:
    return {
        pk: set(terms.split())
        for pk, terms in SearchDocument.objects.filter(complaint_id__in=ids).values_list(
            "complaint_id", "terms"
        )
    }
