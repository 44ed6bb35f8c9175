"""Full-text search works for Chinese (issue 13): one- and two-character words match, on SQLite
(FTS5) and PostgreSQL (tsvector) alike; hostile input never raises; the 8D's root causes and
lessons are searched with the complaint and stay current when the 8D is edited."""

import pytest

from kesu.complaints.models import Complaint, SearchDocument
from kesu.complaints.search import search_reindex
from kesu.complaints.selectors import ComplaintFilter, complaint_list
from kesu.core import search
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests.eightd_data import COMPLETE


def titles(user, text):
    return {c.title for c in complaint_list(user, ComplaintFilter(text=text))}


@pytest.fixture
def ledger(make_complaint):
    return {
        "scratch": make_complaint(title="外壳表面划伤", description="来料检验发现外壳划伤。"),
        "return": make_complaint(title="客户要求退货", description="整批退回，要求补货。"),
        "noise": make_complaint(title="电机运行有异响", description="装配后运转噪音大。"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("划伤", {"外壳表面划伤"}),
        ("退货", {"客户要求退货"}),
        ("异响", {"电机运行有异响"}),
        ("划", {"外壳表面划伤"}),  # one character
        ("退", {"客户要求退货"}),
        ("外壳 划伤", {"外壳表面划伤"}),  # several words: all of them
        ("外壳 退货", set()),
        ("表面划伤", {"外壳表面划伤"}),  # a phrase jieba may cut otherwise
        ("艾克米", {"外壳表面划伤", "客户要求退货", "电机运行有异响"}),  # customer name
        ("刹车片", {"外壳表面划伤", "客户要求退货", "电机运行有异响"}),  # product name
    ],
)
def test_chinese_words_of_one_and_two_characters_match(cs_agent, ledger, text, expected):
    assert titles(cs_agent, text) == expected


def test_complaint_number_matches(cs_agent, ledger):
    number = ledger["return"].number
    assert titles(cs_agent, number) == {"客户要求退货"}
    assert titles(cs_agent, number[-6:]) == {"客户要求退货"}


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('划伤')</script>",
        '"划伤',
        "划伤*",
        "划伤 OR 退货",
        "NEAR(划伤 退货)",
        "-划伤",
        "terms:划伤",
        "'; DROP TABLE x; --",
        "\\ ' \" ( ) : * ^ + - & | ! <->",
        "AND OR NOT",
        "!!!",
        "\x00划伤",
        "划伤" * 2000,  # very long
        "划 伤 " * 500,
    ],
)
def test_hostile_input_never_raises(cs_agent, ledger, text):
    list(complaint_list(cs_agent, ComplaintFilter(text=text)))


def test_operators_are_words_not_syntax(cs_agent, ledger):
    assert titles(cs_agent, "划伤 OR 退货") == set()  # "or" is a word nobody wrote
    assert titles(cs_agent, "<script>划伤") == set()
    assert titles(cs_agent, "!!!") == set()


def test_empty_query_lists_everything(cs_agent, ledger):
    assert len(titles(cs_agent, "")) == 3
    assert len(titles(cs_agent, "   ")) == 3


def test_the_api_list_searches_the_same_way(api_as, cs_agent, ledger):
    response = api_as(cs_agent).get("/complaints", {"text": "退货"})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["items"]] == ["客户要求退货"]


def test_the_document_follows_an_edit(cs_agent, ledger):
    from kesu.complaints.services import complaint_update

    complaint = ledger["noise"]
    complaint_update(
        actor=cs_agent, complaint=complaint, version=complaint.version,
        data={"title": "电机漏油"},
    )
    assert titles(cs_agent, "漏油") == {"电机漏油"}
    assert titles(cs_agent, "异响") == {"电机漏油"}  # still in the description
    assert titles(cs_agent, "运行") == set()


def test_root_cause_and_lesson_are_searchable_and_follow_the_8d(
    drive, cs_agent, engineer, ledger
):
    complaint = drive(ledger["scratch"], "analysis")
    assert titles(cs_agent, "定位销") == set()
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    discipline_update(
        actor=engineer, complaint=complaint, code="d4", version=d4.version, content=COMPLETE["d4"]
    )
    assert titles(cs_agent, "定位销") == {"外壳表面划伤"}
    d7 = Discipline.objects.get(report__complaint=complaint, code="d7")
    discipline_update(
        actor=engineer, complaint=complaint, code="d7", version=d7.version, content=COMPLETE["d7"]
    )
    assert titles(cs_agent, "易损件") == {"外壳表面划伤"}

    d4.refresh_from_db()
    changed = {**COMPLETE["d4"], "occurrence": {**COMPLETE["d4"]["occurrence"],
                                               "statement": "注塑模具顶针偏位",
                                               "whys": [], "verification": ""}}
    discipline_update(
        actor=engineer, complaint=complaint, code="d4", version=d4.version, content=changed
    )
    assert titles(cs_agent, "顶针") == {"外壳表面划伤"}
    assert titles(cs_agent, "定位销") == set()


def test_reindex_rebuilds_missing_documents(cs_agent, ledger):
    SearchDocument.objects.all().delete()
    assert titles(cs_agent, "划伤") == set()
    assert search_reindex(batch=2, missing_only=True) == 3
    assert titles(cs_agent, "划伤") == {"外壳表面划伤"}
    assert search_reindex(batch=2) == Complaint.objects.count()


def test_reindex_command(cs_agent, ledger):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    call_command("reindex_search", batch=1)
    assert titles(cs_agent, "退货") == {"客户要求退货"}


def test_terms_hold_words_characters_and_pairs():
    terms = search.terms("外壳表面划伤 KS-2026-000001")
    assert {"外壳", "划伤", "划", "伤", "面划", "ks", "2026", "000001"} <= set(terms)
    assert all(t.isalnum() for t in terms)


def test_rewordings_are_indexed_as_the_usual_word():
    assert "划伤" in search.terms("壳体有划痕")
    assert "异响" in search.significant("运转时有异常响声")
