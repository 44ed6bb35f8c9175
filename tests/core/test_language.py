from django.conf import settings


def test_web_ui_is_chinese_even_for_an_english_browser(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_language_switch_wins(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/login/")
    assert 'lang="en"' in response.content.decode()


def test_api_errors_follow_accept_language(client, db):
    zh = client.get("/api/v1/complaints", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    en = client.get("/api/v1/complaints", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 401
    assert zh.json()["message"] != en.json()["message"]
