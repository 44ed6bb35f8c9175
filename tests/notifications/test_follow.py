"""Anyone who may see a complaint may follow it, and then hears about it as a watcher."""

from kesu.notifications.models import Follow
from kesu.notifications.selectors import watchers


def test_follow_and_unfollow_return_to_the_complaint(client, make_complaint, process_owner):
    complaint = make_complaint()
    client.force_login(process_owner)
    response = client.post(f"/notifications/follow/{complaint.number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.number}/"
    assert process_owner in watchers(complaint)

    response = client.post(f"/notifications/unfollow/{complaint.number}/")
    assert response["Location"] == f"/complaints/{complaint.number}/"
    assert process_owner not in watchers(complaint)


def test_htmx_gets_the_button_back(client, make_complaint, qe):
    complaint = make_complaint()
    client.force_login(qe)
    response = client.post(f"/notifications/follow/{complaint.number}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-action="unfollow"' in response.text
    assert f"/notifications/unfollow/{complaint.number}/" in response.text
    response = client.post(f"/notifications/unfollow/{complaint.number}/", HTTP_HX_REQUEST="true")
    assert 'data-action="follow"' in response.text


def test_outsider_cannot_follow_what_they_cannot_see(client, make_complaint, outsider):
    complaint = make_complaint()
    client.force_login(outsider)
    assert client.post(f"/notifications/follow/{complaint.number}/").status_code == 404
    assert client.post(f"/notifications/unfollow/{complaint.number}/").status_code == 404
    assert client.post("/notifications/follow/KS-0000-999999/").status_code == 404
    assert not Follow.objects.exists()


def test_follow_needs_a_post_and_a_login(client, make_complaint, qe):
    complaint = make_complaint()
    assert client.post(f"/notifications/follow/{complaint.number}/").status_code == 302
    client.force_login(qe)
    assert client.get(f"/notifications/follow/{complaint.number}/").status_code == 405


def test_follow_button_include_shows_the_state(rf, make_complaint, qe):
    from django.template.loader import render_to_string

    from kesu.notifications.services import follow

    complaint = make_complaint()
    request = rf.get("/")
    request.user = qe
    html = render_to_string(
        "notifications/follow_button.html", {"complaint": complaint, "user": qe}, request=request
    )
    assert 'data-action="follow"' in html
    follow(user=qe, complaint=complaint)
    html = render_to_string(
        "notifications/follow_button.html", {"complaint": complaint, "user": qe}, request=request
    )
    assert 'data-action="unfollow"' in html
