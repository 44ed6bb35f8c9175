"""The recurrence radar (issue 13): earlier complaints that look like a draft or a complaint, so
the team starts from what was learned.

Candidates come from two reads, at most `CONSIDER` in all:
- the hard keys: complaints received within the window (`KESU_RADAR_WINDOW_DAYS`, 365 days)
  that share two of customer, product and defect code with the draft (one shared key alone is
  everyday business, not a sign of the same problem);
- the words: complaints whose search document holds any of the draft's significant words
  (`kesu.core.search`), best ranked first, at any age: a lesson learned three years ago counts.

Each candidate is scored 0–100:
    score = 60 × shared words / min(draft's words, 6)  (a word and its rewordings count once)
          + 20 × same defect code + 12 × same product + 8 × same customer
(keys within the window only), and shown when it reaches `THRESHOLD`, best first, at most
`SHOWN`. The reasons are said in plain words (同一客户 / 同一产品 / 同一缺陷 /
文字相似：划伤、异响), with the earlier complaint's root causes, actions and lesson learned
read from the 8D.

A constant number of queries whatever the ledger's size (pinned in tests/radar).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from kesu.complaints.access import complaints_visible_to
from kesu.complaints.models import Complaint
from kesu.complaints.search import document_terms, similar
from kesu.core import clock
from kesu.core.search import CANONICAL
from kesu.eightd.selectors import Learning, learnings
from kesu.org.models import User
from kesu.radar.models import ComplaintLink

CONSIDER = 1000  # candidates considered at most
BY_KEYS = 500  # of which from the hard keys
SCORED = 40  # candidates whose words are compared one by one
SHOWN = 8
THRESHOLD = 30
WEIGHTS = {"text": 60, "defect": 20, "product": 12, "customer": 8}
WORDS_SHOWN = 5
# Shared words that make a full textual match: a draft with a long description is not diluted
# by its every word ("60 × shared / draft's words" left a reworded title with a paragraph
# below the threshold unless customer or product were chosen first).
WORDS_FULL = 6


@dataclass
class Draft:
    """What the radar compares: a complaint being recorded, or one already recorded."""

    customer_id: int | None = None
    product_ids: list[int] = field(default_factory=list)
    defect_code_id: int | None = None
    text: str = ""
    complaint_id: int | None = None  # a recorded complaint: it and later ones are left out

    @classmethod
    def of(cls, complaint: Complaint) -> "Draft":
        return cls(
            customer_id=complaint.customer_id,
            product_ids=[p.pk for p in complaint.products.all()],
            defect_code_id=complaint.defect_code_id,
            text=f"{complaint.title} {complaint.description}",
            complaint_id=complaint.pk,
        )


@dataclass
class Candidate:
    complaint: Complaint
    score: int
    same_customer: bool
    same_product: bool
    same_defect: bool
    words: list[str]
    learning: Learning
    link: str | None = None  # how it is already linked to the complaint (LinkKind)

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.same_customer:
            out.append(_("Same customer"))
        if self.same_product:
            out.append(_("Same product"))
        if self.same_defect:
            out.append(_("Same defect"))
        if self.words:
            out.append(_("Similar words: %(words)s") % {"words": "、".join(self.words)})
        return out


def _groups(words: list[str]) -> dict[str, list[str]]:
    """The draft's words by meaning: a word with its rewordings ("划痕" with "划伤")."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(CANONICAL.get(word, word), []).append(word)
    return groups


def radar(user: User, draft: Draft, *, window_days: int | None = None) -> list[Candidate]:
    """Earlier complaints `user` may see that look like `draft`, best first."""
    days = settings.KESU_RADAR_WINDOW_DAYS if window_days is None else window_days
    now = clock.now()
    since = now - timedelta(days=days)
    visible = complaints_visible_to(user)
    if draft.complaint_id:
        visible = visible.exclude(pk=draft.complaint_id)

    words, hits = similar(draft.text, limit=CONSIDER - BY_KEYS)
    text_rank = dict(hits)

    products = set(draft.product_ids)
    with_products = Complaint.products.through.objects.filter(
        product_id__in=products
    ).values("complaint_id")
    keys = Q(pk__in=[])
    if draft.customer_id and draft.defect_code_id:
        keys |= Q(customer_id=draft.customer_id, defect_code_id=draft.defect_code_id)
    if products and draft.defect_code_id:
        keys |= Q(defect_code_id=draft.defect_code_id, pk__in=with_products)
    if products and draft.customer_id:
        keys |= Q(customer_id=draft.customer_id, pk__in=with_products)
    by_keys = []
    if draft.customer_id or draft.defect_code_id:
        by_keys = list(
            visible.filter(keys, received_at__gte=since)
            .order_by("-received_at")
            .values_list("pk", flat=True)[:BY_KEYS]
        )
    ids = set(by_keys) | set(text_rank)
    if not ids:
        return []
    facts = {
        pk: (customer, defect, received)
        for pk, customer, defect, received in visible.filter(pk__in=ids).values_list(
            "pk", "customer_id", "defect_code_id", "received_at"
        )
    }
    if draft.complaint_id:
        # Earlier only: a complaint is not a recurrence of one recorded after it.
        mine = Complaint.objects.filter(pk=draft.complaint_id).values_list("received_at")
        received = mine.first()
        if received:
            facts = {pk: fact for pk, fact in facts.items() if fact[2] <= received[0]}
    shares_product = set(
        Complaint.products.through.objects.filter(
            complaint_id__in=list(facts), product_id__in=products
        ).values_list("complaint_id", flat=True)
    ) if products else set()

    best = max(text_rank.values(), default=0) or 1

    def keyed(pk):
        customer, defect, received = facts[pk]
        recent = received >= since
        return (
            recent and bool(draft.customer_id) and customer == draft.customer_id,
            recent and pk in shares_product,
            recent and bool(draft.defect_code_id) and defect == draft.defect_code_id,
        )

    def key_score(pk) -> float:
        customer, product, defect = keyed(pk)
        return (
            WEIGHTS["customer"] * customer
            + WEIGHTS["product"] * product
            + WEIGHTS["defect"] * defect
        )

    # A first order on the database's rank; the words are then compared for the best few.
    first = sorted(
        facts,
        key=lambda pk: (key_score(pk) + WEIGHTS["text"] * text_rank.get(pk, 0) / best,
                        facts[pk][2]),
        reverse=True,
    )[:SCORED]
    groups = _groups(words)
    terms = document_terms(first) if groups else {}
    scored = []
    for pk in first:
        held = terms.get(pk, set())
        shared = [meaning for meaning, forms in groups.items()
                  if meaning in held or any(form in held for form in forms)]
        text = len(shared) / min(len(groups), WORDS_FULL) if groups else 0
        score = round(key_score(pk) + WEIGHTS["text"] * text)
        if score >= THRESHOLD:
            scored.append((score, facts[pk][2], pk, shared))
    scored.sort(reverse=True)
    scored = scored[:SHOWN]
    if not scored:
        return []
    shown = [pk for _score, _received, pk, _shared in scored]
    rows = Complaint.objects.select_related("customer", "defect_code").in_bulk(shown)
    learned = learnings(shown)
    links = {}
    if draft.complaint_id:
        links = dict(
            ComplaintLink.objects.filter(
                complaint_id=draft.complaint_id, earlier_id__in=shown
            ).values_list("earlier_id", "kind")
        )
    out = []
    for score, _received, pk, shared in scored:
        customer, product, defect = keyed(pk)
        out.append(Candidate(
            complaint=rows[pk],
            score=min(score, 100),
            same_customer=customer,
            same_product=product,
            same_defect=defect,
            words=shared[:WORDS_SHOWN],
            learning=learned[pk],
            link=links.get(pk),
        ))
    return out
