"""What the intake form's pickers find (SPEC §3): customers, their contacts, products and lots.

Each endpoint answers in the shape `kesu.core.pickers` describes. Prefix matches on codes come
first because an agent with a delivery note reads the code aloud; names match anywhere.
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kesu.core.pickers import LIMIT, ids, options, picker_endpoint, search_text
from kesu.masterdata.models import Contact, CooperationStatus, Customer, Lot, Product


def _code_first(queryset: QuerySet, field: str, text: str) -> QuerySet:
    return queryset.annotate(
        _rank=Case(
            When(**{f"{field}__istartswith": text}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("_rank", field)


def customers_matching(text: str) -> QuerySet[Customer]:
    # Customers whose cooperation ended can still complain about what they received.
    found = Customer.objects.all()
    if text:
        found = _code_first(
            found.filter(Q(code__icontains=text) | Q(name__icontains=text)), "code", text
        )
    return found[:LIMIT]


def contacts_matching(text: str, customer_ids: list[int]) -> QuerySet[Contact]:
    if not customer_ids:
        return Contact.objects.none()
    found = Contact.objects.filter(customer_id__in=customer_ids)
    if text:
        found = found.filter(Q(name__icontains=text) | Q(phone__icontains=text))
    return found.order_by("name")[:LIMIT]


def products_matching(text: str, *, retired: bool = False) -> QuerySet[Product]:
    """Products in use; with `retired` also those no longer made, which old complaints name
    (the list's filter asks for them, intake does not)."""
    found = Product.objects.select_related("product_line")
    if not retired:
        found = found.filter(active=True)
    if text:
        found = _code_first(
            found.filter(Q(code__icontains=text) | Q(name__icontains=text)), "code", text
        )
    return found[:LIMIT]


def lots_matching(text: str, customer_ids: list[int], product_ids: list[int]) -> QuerySet[Lot]:
    """The customer's lots of the chosen products, newest shipment first: the lot complained
    about is nearly always one of the last few (the index on customer, product, ship date)."""
    found = Lot.objects.select_related("product")
    if customer_ids:
        found = found.filter(customer_id__in=customer_ids)
    if product_ids:
        found = found.filter(product_id__in=product_ids)
    if text:
        found = found.filter(number__icontains=text)
    return found.order_by("-ship_date", "number")[:LIMIT]


@picker_endpoint
def pick_customers(request):
    return options(
        {
            "value": c.pk,
            "text": f"{c.code} {c.name}",
            "hint": c.get_grade_display()
            + ("" if c.status == CooperationStatus.ACTIVE else f" · {c.get_status_display()}"),
        }
        for c in customers_matching(search_text(request))
    )


@picker_endpoint
def pick_contacts(request):
    return options(
        {
            "value": c.name,
            "text": c.name,
            "hint": " · ".join(part for part in (c.title, c.phone) if part),
            "phone": c.phone,
            "email": c.email,
        }
        for c in contacts_matching(search_text(request), ids(request, "customer"))
    )


@picker_endpoint
def pick_products(request):
    retired = request.GET.get("retired") == "1"
    return options(
        {
            "value": p.pk,
            "text": f"{p.code} {p.name}",
            "hint": p.product_line.name if p.active else f"{p.product_line.name} · {_('retired')}",
        }
        for p in products_matching(search_text(request), retired=retired)
    )


@picker_endpoint
def pick_lots(request):
    return options(
        {
            "value": lot.pk,
            "text": lot.number,
            "hint": _("%(product)s · shipped %(date)s · %(quantity)s pcs")
            % {
                "product": f"{lot.product.code} {lot.product.name}",
                "date": date_format(lot.ship_date, "Y-m-d"),
                "quantity": lot.quantity,
            },
            # What the picker checks its chosen lots against when the customer or products
            # change (the names of the parameters it sends).
            "filters": {"customer": lot.customer_id, "products": lot.product_id},
        }
        for lot in lots_matching(
            search_text(request), ids(request, "customer"), ids(request, "products")
        )
    )
