from tests.timelimits.conftest import at, eightd_hours  # noqa: F401 - the clocks' fixtures
