"""Short English words that read differently in Chinese depending on where they stand carry a
context (issue 11 part 6, `pgettext`): a customer's cooperation is 合作中 while a product in use
is 启用; "reply committed by" is a time, not a person."""

from django.utils import translation

from kesu.complaints.models import Complaint
from kesu.masterdata.columns import SHEETS
from kesu.masterdata.models import CooperationStatus, CustomerGrade


def column(sheet, name):
    return next(c for c in SHEETS[sheet].columns if c.field == name)


def test_each_use_reads_right_in_chinese():
    with translation.override("zh-hans"):
        assert str(CooperationStatus.ACTIVE.label) == "合作中"
        assert str(column("products", "active").label) == "启用"
        assert str(column("defect-codes", "active").label) == "启用"
        assert str(CustomerGrade.KEY.label) == "重点"
        assert str(Complaint._meta.get_field("reply_due_at").verbose_name) == "承诺答复时间"


def test_english_is_unchanged():
    with translation.override("en"):
        assert str(CooperationStatus.ACTIVE.label) == "Active"
        assert str(column("products", "active").label) == "Active"
        assert str(CustomerGrade.KEY.label) == "Key"
