
from kesu.complaints.events import UPDATED
from kesu.complaints.models import Complaint


def edit_post(client, complaint):
    """The edit form as the browser would send it back, untouched."""
    form = client.get(f"/complaints/{complaint.number}/edit/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name == "received_at":
            data[name] = field.widget.format_value(value)
        else:
            data[name] = str(value)
    data["version"] = str(complaint.version)
    return data


def test_edit_saves_only_what_changed(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    data = edit_post(client, complaint)
    data["title"] = "刹车片表面划伤（更正）"
    response = client.post(f"/complaints/{complaint.number}/edit/", data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.title == "刹车片表面划伤（更正）"
    event = complaint.events.get(type=UPDATED)
    assert list(event.payload["changes"]) == ["title"]


def test_untouched_form_changes_nothing(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    response = client.post(f"/complaints/{complaint.number}/edit/", edit_post(client, complaint))
    assert response.status_code == 302
    assert Complaint.objects.get().version == complaint.version
    assert not complaint.events.filter(type=UPDATED).exists()


def test_stale_edit_is_refused_and_nothing_is_overwritten(as_user, cs_agent, qe, make_complaint):
    complaint = make_complaint()
    agent = as_user(cs_agent)
    agents_form = edit_post(agent, complaint)

    from django.test import Client

    other = Client()
    other.force_login(qe)
    qes_form = edit_post(other, complaint)
    qes_form["title"] = "质量工程师的修改"
    assert other.post(f"/complaints/{complaint.number}/edit/", qes_form).status_code == 302

    agents_form["title"] = "客服的修改"
    response = agent.post(f"/complaints/{complaint.number}/edit/", agents_form)
    assert response.status_code == 409
    assert Complaint.objects.get().title == "质量工程师的修改"
    assert [m.tags for m in response.context["messages"]] == ["error"]
    # The agent's text stays on screen so it is not lost.
    assert "客服的修改" in response.content.decode()


def test_edit_validation_errors_are_shown(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    data = edit_post(client, complaint)
    data["remedies"] = []
    response = client.post(f"/complaints/{complaint.number}/edit/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["remedies"]
    assert Complaint.objects.get().remedies == complaint.remedies


def test_engineer_cannot_edit_the_record(as_user, engineer, make_complaint, drive):
    from kesu.complaints.choices import Status

    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = as_user(engineer).get(f"/complaints/{complaint.number}/edit/")
    assert response.status_code == 302
