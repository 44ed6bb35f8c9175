"""/healthz and /metrics say whether Kesu can do its work: the database answers, a worker is
alive, the time-limit sweep keeps up, and no notification waits (SPEC §12, §14)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connections

from kesu.core import clock, health
from kesu.core.models import Heartbeat
from kesu.notifications.choices import Status
from kesu.notifications.models import Notification
from kesu.timelimits.health import SWEEP

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive():
    """A worker of each queue beat just now and the sweep just ran."""
    health.beat("worker:default:host:1")
    health.beat("worker:heavy:host:2")
    health.beat(SWEEP)


def beat_ago(name, seconds):
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": clock.now() - timedelta(seconds=seconds)}
    )


def test_healthz_reports_ok(client, alive):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert body["checks"]["kesu_worker_heartbeat_age_seconds"]["ok"]
    assert body["checks"]["kesu_notification_oldest_due_seconds"]["value"] == 0


def test_healthz_is_503_when_the_database_is_unreachable(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_no_worker_ever_seen_is_unhealthy(client):
    health.beat(SWEEP)
    health.beat("worker:heavy:host:2")
    response = client.get("/healthz")
    assert response.status_code == 503
    check = response.json()["checks"]["kesu_worker_heartbeat_age_seconds"]
    assert (check["value"], check["ok"]) == (None, False)


def test_a_silent_worker_turns_it_red_after_the_threshold(client, settings):
    settings.KESU_HEALTH_WORKER_SECONDS = 60
    health.beat(SWEEP)
    health.beat("worker:heavy:host:2")
    beat_ago("worker:default:host:1", 59)
    assert client.get("/healthz").status_code == 200
    beat_ago("worker:default:host:1", 61)
    assert client.get("/healthz").status_code == 503
    # Another worker of that queue that is alive is enough.
    health.beat("worker:default:host:3")
    assert client.get("/healthz").status_code == 200


def test_no_worker_for_heavy_work_is_unhealthy_too(client, settings):
    health.beat(SWEEP)
    health.beat("worker:default:host:1")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["kesu_heavy_worker_heartbeat_age_seconds"]["ok"]


def test_a_lagging_sweep_is_unhealthy(client, settings):
    settings.KESU_HEALTH_SWEEP_SECONDS = 180
    health.beat("worker:default:host:1")
    health.beat("worker:heavy:host:2")
    beat_ago(SWEEP, 181)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["kesu_sweep_lag_seconds"]["ok"]


def test_a_notification_waiting_too_long_is_unhealthy(client, settings, alive, cs_agent):
    settings.KESU_HEALTH_NOTIFICATION_SECONDS = 300
    row = Notification.objects.create(
        kind="assigned", channel="email", recipient=cs_agent, language="zh-hans",
        event_key="test", dedupe_key="test|email|1", status=Status.PENDING,
        next_attempt_at=clock.now() - timedelta(seconds=200), created_at=clock.now(),
    )
    assert client.get("/healthz").status_code == 200
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=clock.now() - timedelta(seconds=400)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["kesu_notifications_due"]["value"] == 1
    assert checks["kesu_notification_oldest_due_seconds"]["value"] >= 400


def test_metrics_give_the_same_figures_to_prometheus(client, alive):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    lines = response.content.decode().splitlines()
    assert "kesu_up 1" in lines and "kesu_database_up 1" in lines
    assert "# TYPE kesu_worker_heartbeat_age_seconds gauge" in lines
    assert "kesu_sweep_lag_seconds_threshold 180" in lines
    assert any(line.startswith("kesu_notifications_due ") for line in lines)


def test_metrics_say_nan_for_what_was_never_measured(client):
    lines = client.get("/metrics").content.decode().splitlines()
    assert "kesu_up 0" in lines
    assert "kesu_worker_heartbeat_age_seconds NaN" in lines
