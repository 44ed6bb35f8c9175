import pytest

from kesu.api.tokens import token_issue
from tests.api.conftest import ApiClient


@pytest.fixture
def api_as(db):
    def make(user, language="zh-hans"):
        _token, key = token_issue(user=user)
        return ApiClient(key, language=language)

    return make


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
