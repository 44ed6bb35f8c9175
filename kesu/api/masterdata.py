"""Master data and organisation, read-only, for staff; and master-data imports.

Customer contacts get 403 here: these lists name other customers, suppliers and staff. What a
customer needs of them (their products and lots) comes with their complaints.

An import is a job made in the worker: POST answers 202 with the queued job at once, and
GET /imports/{id} shows its progress and then its result. The rules are in
kesu.masterdata.imports.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from django.db.models import Q
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

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
    Ref,
    RoutingRuleOut,
    SupplierOut,
    UserOut,
    page_of,
)
from kesu.complaints.models import RoutingRule
from kesu.core.bounds import Day, Id
from kesu.core.errors import NotAllowed
from kesu.masterdata.columns import SHEETS
from kesu.masterdata.imports import import_job_get, import_request
from kesu.masterdata.models import (
    Customer,
    DefectCode,
    InspectionResult,
    InspectionSide,
    Lot,
    Product,
    ProductLine,
    Supplier,
)
from kesu.masterdata.selectors import lot_get, lot_inspections
from kesu.masterdata.services import (
    MAX_LOTS_PER_CALL,
    inspection_record,
    lot_save,
    lots_save,
)
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


# --- Imports -----------------------------------------------------------------------------------

ImportKind = StrEnum("ImportKind", {kind: kind for kind in SHEETS})


class ImportProblemOut(Schema):
    row: int | None = Field(description="The spreadsheet's row number (header = 1); null for "
                            "a problem with the whole file.")
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    dry_run: bool = Field(description="Only checked, nothing written.")
    file_name: str
    status: str = Field(description="queued, running, done (written, or a trial run found "
                        "every row good) or failed (nothing written; see summary and problems).")
    status_label: str
    stage: str = Field(description="While running: reading, checking or writing.")
    requested_at: datetime
    requested_by: str
    started_at: datetime | None
    finished_at: datetime | None
    rows_read: int
    rows_total: int | None = Field(description="While reading, what the file says it holds.")
    created: int
    updated: int
    unchanged: int
    summary: str = Field(description="The result in a sentence, in the requester's language.")
    problems: list[ImportProblemOut] = Field(description="The first 1,000 problems.")
    problem_count: int
    url: str = Field(description="Where to poll this job.")


def _job_out(job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "dry_run": job.dry_run,
        "file_name": job.file_name,
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "requested_at": job.requested_at,
        "requested_by": str(job.requested_by),
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "rows_read": job.rows_read,
        "rows_total": job.rows_total,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "summary": job.summary,
        "problems": job.problems,
        "problem_count": job.problem_count,
        "url": reverse("api:import_job", args=[job.pk]),
    }


@router.post("/imports", response={202: ImportJobOut, **errors(401, 403, 422)})
def request_import(
    request,
    file: File[UploadedFile],
    kind: Form[ImportKind],
    dry_run: Form[bool] = False,
):
    """Import master data from an .xlsx or .csv file (multipart/form-data: `file`, `kind`,
    optional `dry_run`). Every row is checked first; if any is bad nothing is written. The
    import runs in the background: the answer is the queued job; poll its `url` until its
    status is done or failed. Administrators (staff allowed to add and change that kind)."""
    _staff(request)
    job = import_request(
        actor=request.auth, kind=str(kind), upload=file, dry_run=dry_run
    )
    return Status(202, _job_out(import_job_get(request.auth, job.pk)))


@router.get(
    "/imports/{job_id}",
    response={200: ImportJobOut, **errors(401, 403, 404)},
    url_name="import_job",
)
def get_import(request, job_id: int):
    """An import's progress, then its result."""
    _staff(request)
    return _job_out(import_job_get(request.auth, job_id))


# --- Writing lots and inspection results -------------------------------------------------------

Quantity = Annotated[int, Field(ge=1, le=2_147_483_647)]
Count = Annotated[int, Field(ge=0, le=2_147_483_647)]


class LotIn(Params):
    product: str = Field(max_length=50, description="Product code.")
    customer: str = Field(max_length=30, description="Customer code.")
    quantity: Quantity
    ship_date: Day
    delivery_date: Day | None = Field(None, description="Left out or null: not delivered yet.")


class LotNumberedIn(LotIn):
    number: str = Field(max_length=50, description="The lot number, the key.")


class LotsIn(Params):
    lots: list[LotNumberedIn] = Field(max_length=MAX_LOTS_PER_CALL)


class LotWriteOut(LotOut):
    outcome: str = Field(description="created, updated or unchanged (nothing written).")


class LotsWriteOut(Schema):
    created: int
    updated: int
    unchanged: int
    lots: list[LotWriteOut] = Field(description="In the order sent.")


def _written(written) -> dict:
    lot = written.obj
    return {
        "id": lot.pk,
        "number": lot.number,
        "product": lot.product,
        "customer": lot.customer,
        "quantity": lot.quantity,
        "ship_date": lot.ship_date,
        "delivery_date": lot.delivery_date,
        "outcome": written.outcome,
    }


WRITE_ERRORS = errors(401, 403, 422)


@router.put("/lots/{number}", response={200: LotWriteOut, **WRITE_ERRORS})
def put_lot(request, number: str, body: LotIn):
    """Create or update the lot with this number (from the ERP). Sending the same body again
    writes nothing and answers `"outcome": "unchanged"`. Staff allowed to import lots."""
    _staff(request)
    return _written(lot_save(actor=request.auth, number=number, values=body.dict()))


@router.post("/lots", response={200: LotsWriteOut, **WRITE_ERRORS})
def post_lots(request, body: LotsIn):
    """Create or update up to 1,000 lots by number, all or none: if any is not valid nothing is
    written and the 422 names each (`fields`: `lots.<index>.<field>`). Idempotent: the same
    body twice answers every lot `unchanged`. Staff allowed to import lots."""
    _staff(request)
    written = lots_save(actor=request.auth, lots=[lot.dict() for lot in body.lots])
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for one in written:
        counts[one.outcome] += 1
    return {**counts, "lots": [_written(one) for one in written]}


class InspectionIn(Params):
    result: InspectionResult
    defect_code: str | None = Field(None, max_length=30, description="Defect code, for NG.")
    quantity_checked: Quantity
    quantity_bad: Count = 0
    inspected_on: Day
    note: str = Field("", max_length=500)


class InspectionOut(Schema):
    lot: str
    side: str
    side_label: str
    result: str
    result_label: str
    defect_code: Ref | None
    quantity_checked: int
    quantity_bad: int
    inspected_on: date
    note: str
    recorded_by: str | None = Field(description="Who recorded it (display name).")
    recorded_at: datetime


class InspectionWriteOut(InspectionOut):
    outcome: str = Field(description="created, updated or unchanged (nothing written).")


def _inspection_out(inspection, lot) -> dict:
    return {
        "lot": lot.number,
        "side": inspection.side,
        "side_label": inspection.get_side_display(),
        "result": inspection.result,
        "result_label": inspection.get_result_display(),
        "defect_code": inspection.defect_code,
        "quantity_checked": inspection.quantity_checked,
        "quantity_bad": inspection.quantity_bad,
        "inspected_on": inspection.inspected_on,
        "note": inspection.note,
        "recorded_by": str(inspection.recorded_by) if inspection.recorded_by else None,
        "recorded_at": inspection.recorded_at,
    }


@router.get(
    "/lots/{number}/inspections",
    response={200: list[InspectionOut], **errors(401, 403, 404)},
)
def list_inspections(request, number: str):
    """The lot's inspection results: the customer's incoming inspection, our outgoing one."""
    _staff(request)
    lot = lot_get(request.auth, number)
    return [_inspection_out(one, lot) for one in lot_inspections(lot)]


@router.put(
    "/lots/{number}/inspections/{side}",
    response={200: InspectionWriteOut, **errors(401, 403, 404, 422)},
)
def put_inspection(request, number: str, side: InspectionSide, body: InspectionIn):
    """Record or correct the lot's inspection result on one side (`customer`: the customer's
    incoming inspection, `outgoing`: ours). One per lot and side; the same body again answers
    `unchanged`. More bad than checked, or OK with some bad, is refused (422). Quality
    engineers, administrators, and staff allowed to import inspection results."""
    _staff(request)
    lot = lot_get(request.auth, number)
    written = inspection_record(
        actor=request.auth, lot=lot, side=str(side), values=body.dict()
    )
    return {**_inspection_out(written.obj, lot), "outcome": written.outcome}
