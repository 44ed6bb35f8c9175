from django.conf import settings
from django.test import Client

from tests.fixtures import PASSWORD


def test_login_page_is_chinese_by_default(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'<html lang="zh-hans">' in response.content
    assert b'name="password"' in response.content


def test_pages_need_a_login(client, db):
    for url in ("/", "/complaints/", "/complaints/new/", "/complaints/KS-2026-000001/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_login_goes_to_my_work(client, cs_agent):
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, cs_agent):
    response = client.post("/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert b'class="form-errors"' in response.content
    assert "_auth_user_id" not in client.session


def test_login_honours_the_users_language(client, cs_agent):
    cs_agent.language = "en"
    cs_agent.save(update_fields=["language"])
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert b'<html lang="en">' in client.get("/").content


def test_language_switch_in_the_header(as_user, cs_agent):
    client = as_user(cs_agent)
    page = client.get("/complaints/")
    assert b'action="/i18n/setlang/"' in page.content
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/complaints/"})
    assert response.status_code == 302
    assert b'<html lang="en">' in client.get("/complaints/").content
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert b'<html lang="zh-hans">' in client.get("/").content


def test_logout_is_a_post(as_user, cs_agent):
    client = as_user(cs_agent)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_csrf_is_enforced(cs_agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cs_agent)
    assert client.post("/complaints/new/", {"title": "x"}).status_code == 403
    assert client.post("/logout/").status_code == 403
