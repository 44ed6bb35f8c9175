import pytest

from kesu.api.tokens import token_issue
from tests.api.conftest import ApiClient


@pytest.fixture
def api_as(db):
    def make(user, language="zh-hans"):
        _token, key = token_issue(user=user)
        return ApiClient(key, language=language)

    return make
