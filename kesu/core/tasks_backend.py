"""django-tasks backend that hands tasks to Huey (see `kesu.core.huey_app`).

Code declares work with django-tasks' `@task` and calls `.enqueue()`, usually from
`transaction.on_commit` (STYLE habit 8): enqueueing never touches Django's database, so it is
safe anywhere, but only the caller knows when its data is committed.

What crosses the queue is plain data: the task's import path and its JSON arguments, which
django-tasks has already normalised. The worker imports the task again and runs it the way
django-tasks' ImmediateBackend does, so the `task_started` and `task_finished` signals (and
their log lines, a failure with its traceback) are the same whichever backend runs.
"""

from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django_tasks.exceptions import InvalidTaskError
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path, get_random_id

from kesu.core import clock, huey_app

WORKER_ID = get_random_id()


class HueyBackend(BaseTaskBackend):
    """Queues to Huey. Priorities and `run_after` are not supported (django-tasks refuses
    such tasks when they are declared), and results stay with the worker: `get_result` is
    not supported, outcomes are in the log."""

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=clock.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        # Sent before handing over: in immediate mode Huey runs the task inside enqueue(),
        # and "enqueued" must not be logged after "finished".
        task_enqueued.send(type(self), task_result=task_result)
        huey_app.enqueue(
            {
                "id": task_result.id,
                "task": task.module_path,
                "queue_name": task.queue_name,
                "backend": self.alias,
                "args": task_result.args,
                "kwargs": task_result.kwargs,
                "enqueued_at": task_result.enqueued_at.isoformat(),
            }
        )
        return task_result


def run_task(payload: dict) -> None:
    """Run one queued task in the worker (Huey's only task)."""
    task = import_string(payload["task"])
    if not isinstance(task, Task):
        raise InvalidTaskError(f"{payload['task']} is not a task")
    task = task.using(queue_name=payload["queue_name"], backend=payload["backend"])
    backend = task_backends[payload["backend"]]
    started_at = clock.now()
    task_result = TaskResult(
        task=task,
        id=payload["id"],
        status=TaskResultStatus.RUNNING,
        enqueued_at=parse_datetime(payload["enqueued_at"]),
        started_at=started_at,
        last_attempted_at=started_at,
        finished_at=None,
        args=payload["args"],
        kwargs=payload["kwargs"],
        backend=payload["backend"],
        errors=[],
        worker_ids=[WORKER_ID],
    )
    task_started.send(type(backend), task_result=task_result)
    try:
        if task.takes_context:
            task.call(TaskContext(task_result=task_result), *task_result.args,
                      **task_result.kwargs)
        else:
            task.call(*task_result.args, **task_result.kwargs)
    except Exception as exc:
        # Not re-raised: django-tasks has no retries, and task_finished already logs the
        # traceback; Huey would only log it a second time.
        task_result.errors.append(
            TaskError(
                exception_class_path=get_module_path(type(exc)),
                traceback=get_exception_traceback(exc),
            )
        )
        _finish(backend, task_result, TaskResultStatus.FAILED)
    else:
        _finish(backend, task_result, TaskResultStatus.SUCCESSFUL)


def _finish(backend: BaseTaskBackend, task_result: TaskResult, status: TaskResultStatus) -> None:
    # TaskResult is a frozen dataclass; django-tasks' own backends update it the same way.
    object.__setattr__(task_result, "status", status)
    object.__setattr__(task_result, "finished_at", clock.now())
    task_finished.send(type(backend), task_result=task_result)
