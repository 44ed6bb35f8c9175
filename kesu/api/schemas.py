"""Shapes of the API's requests and responses. Types only: every rule lives in the services
(and their input forms), so the API and the UI refuse the same things with the same words."""

from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, create_model, field_validator
from pydantic_core import PydanticCustomError

from kesu.complaints.choices import (
    CancelReason,
    Category,
    Channel,
    Kind,
    Remedy,
    Severity,
    Status,
    Visibility,
)
from kesu.complaints.events import event_type
from kesu.complaints.inputs import MAX_NOTE, MAX_TEXT
from kesu.complaints.workflow import ACTIONS
from kesu.core.bounds import DbInt, Id, Moment
from kesu.core.paging import CAP

# The workflow's action names as an enum, so that OpenAPI lists them and a typo is a 422.
Action = StrEnum("Action", {name: name for name in sorted(ACTIONS)})


class Params(Schema):
    """Base of everything a client sends."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        # PostgreSQL cannot store or even compare NUL; say so instead of failing with a 500.
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("null_characters", "Null characters are not allowed.")
        return value


class Input(Params):
    # An unknown field is an error, not silently dropped: a client sending "status" must learn
    # that status changes only through /transitions.
    model_config = ConfigDict(extra="forbid")


# --- References ---------------------------------------------------------------------------


class Ref(Schema):
    id: int
    code: str
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class LotRef(Schema):
    id: int
    number: str


@cache
def _choices(model, field: str) -> dict:
    # Lazy labels, kept once per field: `get_FOO_display` rebuilds this dict on every call,
    # which was a third of a 50-row list's time. str() below translates in the caller's
    # language.
    return dict(model._meta.get_field(field).flatchoices)


def _label(obj, field: str) -> str:
    value = getattr(obj, field)
    return str(_choices(obj._meta.model, field).get(value, value))  # request.user is lazy


# --- Complaints ---------------------------------------------------------------------------


class ActionOut(Schema):
    action: str
    label: str
    target: str
    note_label: str
    note_required: bool
    inputs: list[str]
    required: list[str]
    style: str

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_note_label(obj) -> str:
        return str(obj.note_label)


class ComplaintItem(Schema):
    number: str
    version: int
    status: Status
    status_label: str
    kind: Kind
    kind_label: str
    category: Category
    category_label: str
    severity: Severity
    severity_label: str
    title: str
    customer: Ref
    responsible_department: Ref | None
    handler: UserRef | None
    tracker: UserRef | None
    received_at: datetime
    status_changed_at: datetime
    dispatch_due_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return _label(obj, "status")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return _label(obj, "kind")

    @staticmethod
    def resolve_category_label(obj) -> str:
        return _label(obj, "category")

    @staticmethod
    def resolve_severity_label(obj) -> str:
        return _label(obj, "severity")


class ComplaintOut(ComplaintItem):
    channel: Channel
    channel_label: str
    is_repeat: bool
    received_by: UserRef
    transferred_by: UserRef | None
    contact_name: str
    contact_phone: str
    contact_email: str
    customer_reference: str
    order_number: str
    products: list[Ref]
    lots: list[LotRef]
    quantity_affected: int | None
    defect_code: Ref | None
    description: str
    remedies: list[str]
    remedy_detail: str
    team: list[UserRef]
    is_valid: bool | None
    plan_rounds: int
    reopen_count: int
    recurrence_count: int
    verification_lots: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[ActionOut] = Field(
        description="The workflow steps the caller may take now (see POST …/transitions)."
    )

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return _label(obj, "channel")

    @staticmethod
    def resolve_products(obj):
        return list(obj.products.all())

    @staticmethod
    def resolve_lots(obj):
        return list(obj.lots.all())

    @staticmethod
    def resolve_team(obj):
        return list(obj.team.all())


class ComplaintIn(Input):
    kind: Kind
    category: Category
    severity: Severity
    is_repeat: bool = False
    channel: Channel = Channel.API
    received_at: Moment | None = Field(None, description="Defaults to now.")
    customer: Id = Field(description="Customer id (GET /customers).")
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field("", max_length=50)
    contact_email: str = Field("", max_length=254)
    customer_reference: str = Field("", max_length=100)
    order_number: str = Field("", max_length=100)
    products: list[Id] = Field(description="Product ids; at least one.")
    lots: list[Id] = Field(default_factory=list, description="Lot ids of this customer.")
    quantity_affected: DbInt | None = None
    defect_code: Id | None = None
    title: str = Field(max_length=200)
    description: str = Field(max_length=MAX_TEXT)
    remedies: list[Remedy] = Field(description="What the customer asks for (mandatory, ISO 10002).")
    remedy_detail: str = Field("", max_length=5000)


class ComplaintPatch(Input):
    """Send `version` and only the fields that change."""

    version: DbInt
    kind: Kind | None = None
    category: Category | None = None
    severity: Severity | None = None
    is_repeat: bool | None = None
    channel: Channel | None = None
    received_at: Moment | None = None
    customer: Id | None = None
    contact_name: str | None = Field(None, max_length=100)
    contact_phone: str | None = Field(None, max_length=50)
    contact_email: str | None = Field(None, max_length=254)
    customer_reference: str | None = Field(None, max_length=100)
    order_number: str | None = Field(None, max_length=100)
    products: list[Id] | None = None
    lots: list[Id] | None = None
    quantity_affected: DbInt | None = None
    defect_code: Id | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=MAX_TEXT)
    remedies: list[Remedy] | None = None
    remedy_detail: str | None = Field(None, max_length=5000)


class TransitionIn(Input):
    action: Action
    version: DbInt = Field(description="The complaint's version as you last read it.")
    note: str = Field("", max_length=MAX_NOTE)
    responsible_department: Id | None = Field(None, description="Department id.")
    handler: Id | None = Field(None, description="User id of an engineer of the department.")
    tracker: Id | None = Field(None, description="User id of a quality engineer.")
    team: list[Id] | None = Field(None, description="User ids of the improvement team.")
    dispatch_due_at: Moment | None = None
    customer_feedback: str | None = Field(None, max_length=5000)
    cancel_reason: CancelReason | None = None


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: UserRef
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/v1/complaints/{obj.complaint.number}/attachments/{obj.pk}"


class EventOut(Schema):
    id: int
    type: str
    type_label: str
    action: str
    from_status: str
    to_status: str
    actor: UserRef | None = Field(
        description="Null for what Kesu did itself (reminders, escalations)."
    )
    at: datetime
    note: str
    visibility: Visibility
    payload: dict[str, Any]
    attachment: AttachmentOut | None

    @staticmethod
    def resolve_type_label(obj) -> str:
        return str(event_type(obj.type).label)

    @staticmethod
    def resolve_attachment(obj):
        return getattr(obj, "attachment", None)


class MessageIn(Input):
    text: str = Field(max_length=MAX_NOTE)
    visibility: Visibility = Visibility.INTERNAL


# --- 8D -----------------------------------------------------------------------------------




# --- Master data --------------------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    grade: str
    grade_label: str
    status: str
    verification_lots: int | None

    @staticmethod
    def resolve_grade_label(obj) -> str:
        return _label(obj, "grade")


class ProductLineOut(Schema):
    id: int
    code: str
    name: str


class ProductOut(Schema):
    id: int
    code: str
    name: str
    product_line: Ref
    grade: str
    active: bool


class SupplierOut(Schema):
    id: int
    code: str
    name: str
    contact_name: str
    phone: str
    email: str
    status: str


class DefectCodeOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    full_name: str
    active: bool

    @staticmethod
    def resolve_full_name(obj) -> str:
        return str(obj)


class LotOut(Schema):
    id: int
    number: str
    product: Ref
    customer: Ref
    quantity: int
    ship_date: date
    delivery_date: date | None


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    center: Ref
    manager: UserRef | None
    sees_all_complaints: bool
    active: bool


class UserOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    department: Ref | None
    is_active: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_role_label(obj) -> str:
        return _label(obj, "role")


class RoutingRuleOut(Schema):
    id: int
    priority: int
    name: str
    kind: str
    category: str
    severity: str
    product_line: Ref | None
    customer: Ref | None
    department: Ref
    handler: UserRef | None
    tracker: UserRef | None
    active: bool


# --- Auth ---------------------------------------------------------------------------------


class TokenIn(Input):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for (shown later).")


class TokenOut(Schema):
    token: str = Field(description="Shown only now; store it safely.")
    prefix: str
    created_at: datetime
    expires_at: datetime = Field(
        description="The token stops working then, or earlier if the user's password changes."
    )


class MeOut(UserOut):
    customer: Ref | None


# --- Pages --------------------------------------------------------------------------------


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of `item`s: {count, count_capped, limit, offset, items}."""
    return create_model(
        name,
        __base__=Schema,
        count=(
            int,
            Field(..., description=f"How many match, counted up to {CAP:,}."),
        ),
        count_capped=(
            bool,
            Field(
                ...,
                description=f"True when more than {CAP:,} match (`count` then reads {CAP:,}): "
                "a filter narrows them.",
            ),
        ),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )
