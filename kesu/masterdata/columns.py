"""The columns of each kind of master data in a spreadsheet, shared by import and export.

A column names its model field, the header export writes (translated), and every header import
accepts: the field name, the English header and the Chinese headers that customers' ERP exports
and hand-made sheets actually use.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kesu.masterdata.models import (
    Contact,
    CooperationStatus,
    Customer,
    CustomerGrade,
    DefectCode,
    Inspection,
    InspectionResult,
    InspectionSide,
    Lot,
    Product,
    ProductGrade,
    ProductLine,
    Supplier,
)

TEXT, CHOICE, INTEGER, DATE, BOOLEAN, EMAIL, REFERENCE = (
    "text",
    "choice",
    "integer",
    "date",
    "boolean",
    "email",
    "reference",
)

# In use (启用), not a customer's cooperation status (合作中).
ACTIVE = pgettext_lazy("in use", "Active")

# Words people type for choices besides the stored value and the translated label.
CHOICE_ALIASES = {
    CustomerGrade: {
        CustomerGrade.STRATEGIC: ("战略", "战略客户", "战略级"),
        CustomerGrade.KEY: ("重点", "重点客户", "关键", "关键客户", "重要"),
        CustomerGrade.NORMAL: ("一般", "一般客户", "普通", "普通客户"),
    },
    CooperationStatus: {
        CooperationStatus.ACTIVE: ("合作中", "正常", "正常合作", "活跃"),
        CooperationStatus.SUSPENDED: ("暂停", "暂停合作", "冻结"),
        CooperationStatus.ENDED: ("终止", "终止合作", "停止合作", "已终止"),
    },
    ProductGrade: {
        ProductGrade.A: ("A级", "关键", "关键件"),
        ProductGrade.B: ("B级", "重要", "重要件"),
        ProductGrade.C: ("C级", "一般", "一般件"),
    },
    InspectionSide: {
        InspectionSide.CUSTOMER: (
            "客户来料检验",
            "来料检验",
            "客户检验",
            "客户进料检验",
            "IQC",
            "incoming",
        ),
        InspectionSide.OUTGOING: ("出货检验", "出厂检验", "OQC", "FQC", "outgoing inspection"),
    },
    InspectionResult: {
        InspectionResult.OK: ("合格", "通过", "pass", "passed", "good", "√"),
        InspectionResult.NG: ("不合格", "不良", "fail", "failed", "reject", "rejected", "×"),
    },
}


@dataclass(frozen=True)
class Column:
    field: str
    label: Promise
    value_type: str = TEXT
    headers: tuple[str, ...] = ()
    required: bool = False
    choices: type[models.TextChoices] | None = None
    # For references: the model looked up by its `target_field` (its code, a lot's number).
    target: type[models.Model] | None = None
    target_field: str = "code"
    max_length: int | None = None
    min_value: int = 0
    max_value: int = 2_147_483_647  # PositiveIntegerField on every supported database


@dataclass(frozen=True)
class Sheet:
    """One kind of master data: its model, the key that identifies a row, its columns.

    The key is one field (a code) or several (an inspection is one per lot and side): a row
    whose key is already in the database updates that record, so the same file twice changes
    nothing."""

    kind: str
    label: Promise
    model: type[models.Model]
    key: str | tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)
    # Rows a file may hold (None: importing.MAX_ROWS). Lots and inspections come from the ERP
    # by the hundred thousand.
    max_rows: int | None = None
    # Written with bulk inserts and updates (and bulk change-log rows) instead of one save()
    # per row: for the large sheets whose rows touch nothing but their own record.
    bulk: bool = False

    @property
    def key_fields(self) -> tuple[str, ...]:
        return (self.key,) if isinstance(self.key, str) else self.key

    @property
    def key_column(self) -> Column:
        """The first column of the key: where a repeated key is reported."""
        return next(c for c in self.columns if c.field == self.key_fields[0])

    def key_of(self, values: dict):
        """The row's key (a tuple for a composite key), or None while any part is missing.
        References count by the code given, as written in the file."""
        parts = []
        for name in self.key_fields:
            value = values.get(name)
            if value is None:
                return None
            parts.append(value)
        return parts[0] if len(parts) == 1 else tuple(parts)


def _len(model, name) -> int:
    return model._meta.get_field(name).max_length


def _text(model, name, label, *headers, required=False, source=None) -> Column:
    """A text column as long as the model field `source` (default: the field of that name)."""
    return Column(name, label, TEXT, headers, required, max_length=_len(model, source or name))


SHEETS = {
    sheet.kind: sheet
    for sheet in (
        Sheet(
            "customers",
            _("Customers"),
            Customer,
            "code",
            (
                _text(
                    Customer,
                    "code",
                    _("Customer code"),
                    "客户编码",
                    "客户代码",
                    "客户编号",
                    required=True,
                ),
                _text(
                    Customer, "name", _("Customer name"), "客户名称", "客户", "名称", required=True
                ),
                Column("grade", _("Grade"), CHOICE, ("等级", "客户等级"), choices=CustomerGrade),
                Column(
                    "status",
                    _("Cooperation status"),
                    CHOICE,
                    ("合作状态", "状态"),
                    choices=CooperationStatus,
                ),
                Column(
                    "verification_lots",
                    _("Lots to verify"),
                    INTEGER,
                    ("验证批次", "验证批次数"),
                    min_value=1,
                    max_value=20,
                ),
                # One contact per row, matched by name within the customer.
                _text(Contact, "contact_name", _("Contact"), "联系人", "联系人姓名", source="name"),
                _text(
                    Contact,
                    "contact_title",
                    _("Contact title"),
                    "职务",
                    "联系人职务",
                    source="title",
                ),
                _text(
                    Contact, "contact_phone", _("Contact phone"), "电话", "联系电话", source="phone"
                ),
                Column(
                    "contact_email",
                    _("Contact e-mail"),
                    EMAIL,
                    ("邮箱", "电子邮件", "联系邮箱"),
                    max_length=254,
                ),
            ),
        ),
        Sheet(
            "product-lines",
            _("Product lines"),
            ProductLine,
            "code",
            (
                _text(
                    ProductLine,
                    "code",
                    _("Product line code"),
                    "产品线编码",
                    "产品线代码",
                    required=True,
                ),
                _text(
                    ProductLine,
                    "name",
                    _("Product line name"),
                    "产品线名称",
                    "产品线",
                    "名称",
                    required=True,
                ),
            ),
        ),
        Sheet(
            "products",
            _("Products"),
            Product,
            "code",
            (
                _text(
                    Product,
                    "code",
                    _("Product code"),
                    "产品编码",
                    "物料编码",
                    "料号",
                    "品号",
                    required=True,
                ),
                _text(
                    Product, "name", _("Product name"), "产品名称", "品名", "名称", required=True
                ),
                Column(
                    "product_line",
                    _("Product line code"),
                    REFERENCE,
                    ("产品线编码", "产品线代码", "产品线"),
                    required=True,
                    target=ProductLine,
                ),
                Column("grade", _("Grade"), CHOICE, ("等级", "产品等级"), choices=ProductGrade),
                Column("active", ACTIVE, BOOLEAN, ("启用", "有效", "是否启用")),
            ),
        ),
        Sheet(
            "suppliers",
            _("Suppliers"),
            Supplier,
            "code",
            (
                _text(
                    Supplier,
                    "code",
                    _("Supplier code"),
                    "供应商编码",
                    "供应商代码",
                    "供应商编号",
                    required=True,
                ),
                _text(
                    Supplier,
                    "name",
                    _("Supplier name"),
                    "供应商名称",
                    "供应商",
                    "名称",
                    required=True,
                ),
                _text(Supplier, "contact_name", _("Contact"), "联系人"),
                _text(Supplier, "phone", _("Phone"), "电话", "联系电话"),
                Column("email", _("E-mail"), EMAIL, ("邮箱", "电子邮件"), max_length=254),
                Column(
                    "status",
                    _("Cooperation status"),
                    CHOICE,
                    ("合作状态", "状态"),
                    choices=CooperationStatus,
                ),
            ),
        ),
        Sheet(
            "defect-codes",
            _("Defect codes"),
            DefectCode,
            "code",
            (
                _text(
                    DefectCode,
                    "code",
                    _("Defect code"),
                    "缺陷代码",
                    "缺陷编码",
                    "不良代码",
                    required=True,
                ),
                _text(
                    DefectCode,
                    "name",
                    _("Defect name"),
                    "缺陷名称",
                    "不良名称",
                    "名称",
                    required=True,
                ),
                Column(
                    "parent",
                    _("Group code"),
                    REFERENCE,
                    ("上级代码", "上级编码", "分组代码", "大类代码", "parent_code"),
                    target=DefectCode,
                ),
                Column("active", ACTIVE, BOOLEAN, ("启用", "有效", "是否启用")),
            ),
        ),
        Sheet(
            "lots",
            _("Lots"),
            Lot,
            "number",
            (
                _text(Lot, "number", _("Lot number"), "批次号", "批号", "批次", required=True),
                Column(
                    "product",
                    _("Product code"),
                    REFERENCE,
                    ("产品编码", "物料编码", "料号", "品号"),
                    required=True,
                    target=Product,
                ),
                Column(
                    "customer",
                    _("Customer code"),
                    REFERENCE,
                    ("客户编码", "客户代码", "客户编号"),
                    required=True,
                    target=Customer,
                ),
                Column(
                    "quantity",
                    _("Quantity"),
                    INTEGER,
                    ("数量", "发货数量"),
                    required=True,
                    min_value=1,
                ),
                Column("ship_date", _("Ship date"), DATE, ("发货日期", "出货日期"), required=True),
                Column(
                    "delivery_date", _("Delivery date"), DATE, ("交付日期", "到货日期", "签收日期")
                ),
            ),
            max_rows=200_000,
            bulk=True,
        ),
        Sheet(
            "inspections",
            _("Inspection results"),
            Inspection,
            ("lot", "side"),
            (
                Column(
                    "lot",
                    _("Lot number"),
                    REFERENCE,
                    ("批次号", "批号", "批次"),
                    required=True,
                    target=Lot,
                    target_field="number",
                    max_length=_len(Lot, "number"),
                ),
                Column(
                    "side",
                    _("Inspection"),
                    CHOICE,
                    ("检验类型", "检验类别", "检验方", "检验"),
                    required=True,
                    choices=InspectionSide,
                ),
                Column(
                    "result",
                    _("Result"),
                    CHOICE,
                    ("结果", "检验结果", "判定", "判定结果"),
                    required=True,
                    choices=InspectionResult,
                ),
                Column(
                    "defect_code",
                    _("Defect code"),
                    REFERENCE,
                    ("缺陷代码", "缺陷编码", "不良代码"),
                    target=DefectCode,
                    max_length=_len(DefectCode, "code"),
                ),
                Column(
                    "quantity_checked",
                    _("Quantity checked"),
                    INTEGER,
                    ("检验数量", "抽检数量", "送检数量", "检验数"),
                    required=True,
                    min_value=1,
                ),
                Column(
                    "quantity_bad",
                    _("Quantity bad"),
                    INTEGER,
                    ("不良数量", "不良数", "不合格数量", "不合格数"),
                ),
                Column(
                    "inspected_on",
                    _("Inspection date"),
                    DATE,
                    ("检验日期", "日期", "检验时间"),
                    required=True,
                ),
                _text(Inspection, "note", _("Note"), "备注", "说明"),
            ),
            max_rows=200_000,
            bulk=True,
        ),
    )
}


def get_sheet(kind: str) -> Sheet | None:
    return SHEETS.get(kind.strip().lower().replace("_", "-"))
