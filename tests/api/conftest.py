import json

import pytest
from django.test import Client

from kesu.api.tokens import token_issue


class ApiClient:
    """The Django test client speaking JSON to /api/v1 with one person's bearer token."""

    prefix = "/api/v1"

    def __init__(self, token=None, language="en"):
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _json(self, method, path, body, **headers):
        return getattr(self.client, method)(
            self.prefix + path,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def get(self, path, params=None, **headers):
        return self.client.get(
            self.prefix + path, params or {}, headers={**self.headers, **headers}
        )

    def post(self, path, body=None, **headers):
        return self._json("post", path, body, **headers)

    def patch(self, path, body=None, **headers):
        return self._json("patch", path, body, **headers)

    def put(self, path, body=None, **headers):
        return self._json("put", path, body, **headers)

    def delete(self, path, **headers):
        return self.client.delete(self.prefix + path, headers={**self.headers, **headers})

    def upload(self, path, file, **fields):
        return self.client.post(self.prefix + path, {"file": file, **fields}, headers=self.headers)




@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a directory of this test, so a test can see what was written."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_as(db):
    """api_as(user) → an ApiClient holding a fresh token of that user."""

    def make(user, language="en"):
        _token, key = token_issue(user=user)
        return ApiClient(key, language=language)

    return make


@pytest.fixture
def anonymous(db):
    return ApiClient()
