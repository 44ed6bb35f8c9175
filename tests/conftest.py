import pytest

pytest_plugins = ["tests.fixtures"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Tasks run inside enqueue(), so a test sees their effects without a worker."""
    settings.HUEY_IMMEDIATE = True
