"""Master data and organisation, read-only, for staff.

Customer contacts get 403 here: these lists name other customers, suppliers and staff. What a
customer needs of them (their products and lots) comes with their complaints.
"""

from django.db.models import Q
from ninja import Field, Query, Router

from kesu.api.errors import errors
from kesu.api.pages import PageParams, paginate
from kesu.api.schemas import (
    CustomerOut,
    DefectCodeOut,
    DepartmentOut,
    LotOut,
    Params,
    ProductLineOut,
    ProductOut,
    RoutingRuleOut,
    SupplierOut,
    UserOut,
    page_of,
)
from kesu.complaints.models import RoutingRule
from kesu.core.bounds import Id
from kesu.core.errors import NotAllowed
from kesu.masterdata.models import Customer, DefectCode, Lot, Product, ProductLine, Supplier
from kesu.org.models import Department, Role, User

router = Router(tags=["master data"])
READ_ERRORS = errors(401, 403, 422)


def _staff(request):
    user = request.auth
    if user.role == Role.CUSTOMER:
        raise NotAllowed()
    return user


def _text(queryset, text: str | None, *fields: str):
    for word in (text or "").split()[:10]:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class TextQuery(Params):
    q: str | None = Field(None, max_length=100, description="Words in code or name.")


@router.get("/customers", response={200: page_of(CustomerOut, "CustomerPage"), **READ_ERRORS})
def list_customers(request, filters: Query[TextQuery], page: Query[PageParams]):
    _staff(request)
    return paginate(_text(Customer.objects.all(), filters.q, "code", "name"), page)


class ProductQuery(TextQuery):
    product_line: Id | None = None
    active: bool | None = None


@router.get("/products", response={200: page_of(ProductOut, "ProductPage"), **READ_ERRORS})
def list_products(request, filters: Query[ProductQuery], page: Query[PageParams]):
    _staff(request)
    products = Product.objects.select_related("product_line")
    if filters.product_line:
        products = products.filter(product_line_id=filters.product_line)
    if filters.active is not None:
        products = products.filter(active=filters.active)
    return paginate(_text(products, filters.q, "code", "name"), page)


@router.get(
    "/product-lines", response={200: page_of(ProductLineOut, "ProductLinePage"), **READ_ERRORS}
)
def list_product_lines(request, page: Query[PageParams]):
    _staff(request)
    return paginate(ProductLine.objects.all(), page)


@router.get("/suppliers", response={200: page_of(SupplierOut, "SupplierPage"), **READ_ERRORS})
def list_suppliers(request, filters: Query[TextQuery], page: Query[PageParams]):
    _staff(request)
    return paginate(_text(Supplier.objects.all(), filters.q, "code", "name"), page)


class DefectCodeQuery(TextQuery):
    parent: Id | None = Field(None, description="Codes of this group.")
    active: bool | None = None


@router.get(
    "/defect-codes", response={200: page_of(DefectCodeOut, "DefectCodePage"), **READ_ERRORS}
)
def list_defect_codes(request, filters: Query[DefectCodeQuery], page: Query[PageParams]):
    _staff(request)
    codes = DefectCode.objects.select_related("parent")
    if filters.parent:
        codes = codes.filter(parent_id=filters.parent)
    if filters.active is not None:
        codes = codes.filter(active=filters.active)
    return paginate(_text(codes, filters.q, "code", "name"), page)


class LotQuery(Params):
    q: str | None = Field(None, max_length=100, description="Part of the lot number.")
    customer: Id | None = None
    product: Id | None = None


@router.get("/lots", response={200: page_of(LotOut, "LotPage"), **READ_ERRORS})
def list_lots(request, filters: Query[LotQuery], page: Query[PageParams]):
    _staff(request)
    lots = Lot.objects.select_related("product", "customer")
    if filters.customer:
        lots = lots.filter(customer_id=filters.customer)
    if filters.product:
        lots = lots.filter(product_id=filters.product)
    return paginate(_text(lots, filters.q, "number"), page)


@router.get("/departments", response={200: page_of(DepartmentOut, "DepartmentPage"), **READ_ERRORS})
def list_departments(request, page: Query[PageParams]):
    _staff(request)
    return paginate(Department.objects.select_related("center", "manager"), page)


class UserQuery(Params):
    q: str | None = Field(None, max_length=100, description="Words in login or name.")
    role: Role | None = None
    department: Id | None = None
    active: bool | None = True


@router.get("/users", response={200: page_of(UserOut, "UserPage"), **READ_ERRORS})
def list_users(request, filters: Query[UserQuery], page: Query[PageParams]):
    """People to name as handler, tracker or team member."""
    _staff(request)
    users = User.objects.select_related("department")
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.department:
        users = users.filter(department_id=filters.department)
    if filters.active is not None:
        users = users.filter(is_active=filters.active)
    return paginate(_text(users, filters.q, "username", "display_name"), page)


@router.get(
    "/routing-rules", response={200: page_of(RoutingRuleOut, "RoutingRulePage"), **READ_ERRORS}
)
def list_routing_rules(request, page: Query[PageParams]):
    """The rules that suggest department, handler and tracker, first match by priority."""
    _staff(request)
    rules = RoutingRule.objects.select_related(
        "product_line", "customer", "department", "handler", "tracker"
    )
    return paginate(rules, page)
