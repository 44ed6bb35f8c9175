"""Saving a discipline through its form: every field as content.py defines it, nothing lost to
a stale page, bad input refused where it is, user text escaped."""

import pytest

from kesu.eightd import content as docs
from kesu.eightd.events import EIGHTD_UPDATED
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests.eightd_data import COMPLETE
from tests.eightd_pages.formdata import encode, form_fields

FIXED = {
    member.value
    for enum in (docs.Location, docs.SixM, docs.CauseKind, docs.RolloutKind, docs.DocStatus)
    for member in enum
}


def page(number):
    return f"/complaints/{number}/8d/"


def save_url(number, code):
    return f"/complaints/{number}/8d/{code}/"


def discipline(complaint, code):
    return Discipline.objects.get(report__complaint=complaint, code=code)


def texts(value):
    """Every text and number of a document, as a page shows them."""
    if isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif isinstance(value, str) and value:
        yield value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield str(value)


@pytest.mark.parametrize("code", docs.CODES)
def test_each_discipline_saves_its_complete_content(as_user, engineer, analysis, code):
    client = as_user(engineer)
    html = client.get(page(analysis.number)).content.decode()
    before = discipline(analysis, code)
    data = encode(code, COMPLETE[code], version=before.version, owner=engineer.pk,
                  note="内部：供应商待确认")
    # Every name posted here is one the page's form really has.
    for name in data:
        if not name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")):
            assert f'name="{name}"' in html, name

    response = client.post(save_url(analysis.number, code), data)

    assert response.status_code == 302
    assert response["Location"] == f"{page(analysis.number)}#{code}"
    after = discipline(analysis, code)
    assert after.content == docs.dump(docs.parse(code, COMPLETE[code]))
    assert (after.version, after.owner, after.internal_note) == (
        before.version + 1, engineer, "内部：供应商待确认"
    )
    event = analysis.events.filter(type=EIGHTD_UPDATED).latest("pk")
    assert event.payload["disciplines"] == [code]
    shown = client.get(page(analysis.number))
    card = shown.content.decode().split(f'id="{code}"', 1)[1].split("</section>", 1)[0]
    read_only = card.split('class="discipline-content"', 1)[1].split('class="signature-block"')[0]
    for text in texts(COMPLETE[code]):
        if text in FIXED:
            continue  # fixed values are shown by their labels
        assert text in read_only, text
    assert not [c for c in shown.context["cards"] if c.view.code == code][0].view.problems


def test_posting_the_form_back_unchanged_changes_nothing(as_user, engineer, qe, analysis):
    from tests.eightd_data import approve, fill
    from tests.fixtures import PASSWORD

    fill(analysis, engineer, docs.CODES)
    approve(analysis, qe, ("d2", "d3", "d4"), PASSWORD)
    client = as_user(engineer)
    html = client.get(page(analysis.number)).content.decode()
    for code in docs.CODES:
        version = discipline(analysis, code).version
        data = form_fields(html, f"form-{code}")
        assert data[f"{code}-version"] == str(version)
        response = client.post(save_url(analysis.number, code), data, follow=True)
        assert [str(m) for m in response.context["messages"]] == ["Nothing was changed."], code
        assert discipline(analysis, code).version == version
    html = client.get(page(analysis.number)).content.decode()
    assert 'data-signature="invalid"' not in html


def test_a_stale_save_is_refused_and_keeps_the_input(as_user, engineer, dept_manager, analysis):
    client = as_user(engineer)
    version = discipline(analysis, "d2").version
    discipline_update(actor=dept_manager, complaint=analysis, code="d2", version=version,
                      content={**COMPLETE["d2"], "what": "经理写的问题"})

    data = encode("d2", {**COMPLETE["d2"], "what": "工程师写的问题"}, version=version)
    response = client.post(save_url(analysis.number, "d2"), data)

    assert response.status_code == 409
    assert discipline(analysis, "d2").content["what"] == "经理写的问题"
    html = response.content.decode()
    assert "工程师写的问题" in html and "经理写的问题" in html
    assert [m.tags for m in response.context["messages"]] == ["error"]
    # The form now carries the version the user has just been shown: saving again is a
    # deliberate overwrite.
    fields = form_fields(html, "form-d2")
    assert fields["d2-version"] == str(version + 1)
    assert client.post(save_url(analysis.number, "d2"), fields).status_code == 302
    assert discipline(analysis, "d2").content["what"] == "工程师写的问题"


def test_garbage_version_counts_as_stale(as_user, engineer, analysis):
    data = encode("d8", COMPLETE["d8"], version="<x>")
    response = as_user(engineer).post(save_url(analysis.number, "d8"), data)
    assert response.status_code == 409
    assert discipline(analysis, "d8").version == 1


def test_hostile_text_is_escaped(as_user, engineer, analysis):
    client = as_user(engineer)
    hostile = '<script>alert("客诉")</script><img src=x onerror=alert(1)>'
    data = encode("d2", {**COMPLETE["d2"], "what": hostile,
                         "is_is_not": [{"aspect": hostile, "is": "", "is_not": ""}]},
                  version=discipline(analysis, "d2").version, note=hostile)
    assert client.post(save_url(analysis.number, "d2"), data).status_code == 302
    html = client.get(page(analysis.number)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;客诉&quot;)&lt;/script&gt;" in html
    detail = client.get(f"/complaints/{analysis.number}/").content.decode()
    assert "<script>alert" not in detail


def test_more_bad_than_checked_is_refused_at_its_row(as_user, engineer, analysis):
    client = as_user(engineer)
    row = {**COMPLETE["d3"]["actions"][0], "qty_checked": 10, "qty_bad": 20}
    version = discipline(analysis, "d3").version
    response = client.post(
        save_url(analysis.number, "d3"),
        encode("d3", {"actions": [COMPLETE["d3"]["actions"][0], row]}, version=version),
    )
    assert response.status_code == 422
    assert discipline(analysis, "d3").version == version
    html = response.content.decode()
    second = html.split('id="form-d3"', 1)[1].split('data-row="1"', 1)[1].split("row-card", 1)[0]
    assert "more found bad than checked" in second
    assert 'name="d3-actions-1-qty_bad" value="20"' in html
    assert '<details class="editor" data-editor="d3" open>' in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("d3-actions-0-qty_checked", "十", "Enter a whole number."),
        ("d3-actions-0-qty_checked", "-1", "greater than or equal to 0"),
        ("d3-actions-0-start", "2026-02-30", "Enter a valid date."),
        ("d3-actions-0-location", "moon", "Select a valid choice."),
        ("d3-actions-0-owner", "长" * 201, "at most 200 characters"),
        ("d3-owner", "999999", "Select a valid choice."),
        ("d3-internal_note", "注" * 20001, "at most 20000 characters"),
        ("d3-actions-0-action", "隔离\x00库存", "Null characters are not allowed."),
        ("d3-actions-TOTAL_FORMS", "1000000", "Please submit at most 50 forms."),
        ("d3-actions-TOTAL_FORMS", "many", "ManagementForm data is missing"),
    ],
)
def test_malformed_input_is_refused_and_kept(as_user, engineer, analysis, field, value, message):
    version = discipline(analysis, "d3").version
    data = encode("d3", COMPLETE["d3"], version=version)
    data[field] = value
    response = as_user(engineer).post(save_url(analysis.number, "d3"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert discipline(analysis, "d3").version == version


def test_a_row_without_its_location_says_so(as_user, engineer, analysis):
    data = encode("d3", {"actions": [{"action": "隔离库存"}]}, version=1)
    response = as_user(engineer).post(save_url(analysis.number, "d3"), data)
    assert response.status_code == 422
    form = response.content.decode().split('id="form-d3"', 1)[1]
    row = form.split('data-row="0"', 1)[1].split("row-card", 1)[0]
    assert "Choose one." in row.split('data-field="location"', 1)[1]


def test_blank_and_removed_rows_are_dropped(as_user, engineer, analysis):
    client = as_user(engineer)
    actions = COMPLETE["d5"]["actions"]
    data = encode("d5", {"actions": [*actions, {"cause": "", "action": ""}]}, version=1)
    data["d5-actions-1-DELETE"] = "on"
    assert client.post(save_url(analysis.number, "d5"), data).status_code == 302
    assert [a["action"] for a in discipline(analysis, "d5").content["actions"]] == [
        actions[0]["action"]
    ]


def test_more_rows_are_added_without_saving(as_user, engineer, analysis):
    client = as_user(engineer)
    data = encode("d3", COMPLETE["d3"], version=1)
    data["d3-actions-TOTAL_FORMS"] = 3
    data["add_rows"] = "1"
    response = client.post(save_url(analysis.number, "d3"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="d3-actions-TOTAL_FORMS" value="5"' in html
    assert "库存全检" in html
    assert discipline(analysis, "d3").version == 1
    # With htmx only the discipline's card comes back.
    fragment = client.post(
        save_url(analysis.number, "d3"), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="d3"
    ).content.decode()
    assert fragment.lstrip().startswith('<section class="card discipline')
    assert "<html" not in fragment and 'name="d3-actions-4-action"' in fragment


def test_the_page_renders_existing_rows_plus_blank_ones(as_user, engineer, analysis):
    from tests.eightd_data import fill

    fill(analysis, engineer, ("d5",))
    html = as_user(engineer).get(page(analysis.number)).content.decode()
    assert 'name="d5-actions-TOTAL_FORMS" value="4"' in html
    assert 'name="d5-actions-INITIAL_FORMS" value="2"' in html
    for n in range(4):
        assert f'name="d5-actions-{n}-action"' in html


def test_an_owner_who_left_is_kept_when_the_content_is_saved(
    as_user, engineer, dept_manager, analysis
):
    discipline_update(actor=engineer, complaint=analysis, code="d3", version=1,
                      owner=dept_manager)
    dept_manager.is_active = False
    dept_manager.save(update_fields=["is_active"])
    client = as_user(engineer)
    html = client.get(page(analysis.number)).content.decode()
    data = form_fields(html, "form-d3")
    assert data["d3-owner"] == str(dept_manager.pk)
    data.update(encode("d3", COMPLETE["d3"], version=2, owner=dept_manager.pk))
    assert client.post(save_url(analysis.number, "d3"), data).status_code == 302
    saved = discipline(analysis, "d3")
    assert (saved.owner, saved.version) == (dept_manager, 3)
