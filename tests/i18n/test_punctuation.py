"""Chinese sentences use full-width punctuation (issue 11 part 6): a colon, comma or bracket
written half-width next to a Chinese character reads as translated. Placeholders, times
(10:30), URLs and `code` are left alone."""

import re

from tests.i18n.test_catalogue import _messages, _translations

CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
HALF = r"[:,()]"
NEXT_TO_CJK = re.compile(rf"{CJK}\s*{HALF}|{HALF}\s*{CJK}")
IGNORED = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # named placeholders
    r"|\{\{[^}]*\}\}|\{[^}]*\}"  # template and format fields
    r"|`[^`]*`|\b\w+\(\)"  # code
    r"|https?://\S+"  # URLs
    r"|\b\d{1,2}:\d{2}\b"  # times
)


# A text placeholder stands for Chinese words in a Chinese sentence, so the colon after it is
# full-width even where no Chinese character is written beside it ("%(discipline)s：%(missing)s",
# the gates' lines); masked as "x" above, it would slip through.
COLON_AFTER_PLACEHOLDER = re.compile(r"%\([^)]+\)s:(?!\d)")


def half_width_in_chinese(text: str) -> list[str]:
    bare = IGNORED.sub("x", text)
    return [bare[max(m.start() - 6, 0) : m.end() + 6] for m in NEXT_TO_CJK.finditer(bare)] + [
        m.group() for m in COLON_AFTER_PLACEHOLDER.finditer(text)
    ]


def test_the_check_finds_what_it_should():
    assert half_width_in_chinese("原因:未知")
    assert half_width_in_chinese("签名(张三)")
    assert half_width_in_chinese("%(discipline)s: %(missing)s")
    assert half_width_in_chinese("8D 报告尚未完成：%(discipline)s: %(missing)s。")
    assert not half_width_in_chinese("时间：%(time)s，10:30 开始")
    assert not half_width_in_chinese("%(discipline)s：%(missing)s")
    assert not half_width_in_chinese("%(hours)d:%(minutes)02d")
    assert not half_width_in_chinese("见 https://kesu.example.cn/a,b 或 `kesu serve --port 8000`")


def test_no_half_width_punctuation_next_to_chinese():
    found = {
        entry["msgid"]: hits
        for entry in _messages()
        for text in _translations(entry)
        if (hits := half_width_in_chinese(text))
    }
    assert not found, "\n".join(f"{msgid!r}: {hits}" for msgid, hits in found.items())
