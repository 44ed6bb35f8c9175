"""The worker's part of importing master data."""

from django_tasks import task

from kesu.core import clock
from kesu.masterdata.imports import import_run, imports_sweep


@task(queue_name="heavy")
def run_import(job_id: int) -> None:
    import_run(job_id=job_id)


@task()
def sweep_imports() -> None:
    imports_sweep(now=clock.now())
