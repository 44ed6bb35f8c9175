import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """The rules' messages are checked in English; zh-Hans is checked by tests/i18n."""
    with translation.override("en"):
        yield
