from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kesu.core import health


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers and the background
    work is alive and keeping up (workers' heartbeats, sweep lag, notification backlog); 503
    otherwise, with the figure that failed."""
    report = health.report()
    body = {
        "status": "ok" if report.healthy else "error",
        "database": "ok" if report.database_ok else "unreachable",
    }
    if report.database_ok:
        body["checks"] = {
            figure.name: {"value": figure.value, "threshold": figure.threshold, "ok": figure.ok}
            for figure in report.figures
        }
    return JsonResponse(body, status=200 if report.healthy else 503)


@never_cache
@require_GET
def metrics(request):
    """The same figures for Prometheus; numbers only, nothing about complaints or people."""
    return HttpResponse(
        health.prometheus(health.report()), content_type="text/plain; version=0.0.4"
    )
