"""The worker's part of exporting: render one export after the request committed it."""

from django_tasks import task

from kesu.eightd.export.services import export_render, exports_fail_abandoned


@task(queue_name="heavy")
def render_export(export_id: int) -> None:
    export_render(export_id=export_id)


@task()
def fail_abandoned_exports() -> None:
    exports_fail_abandoned()
