"""The parametrised test over a workflow table, for every table declared with
`kesu.core.workflow` (the complaint's today; returns' and claims' as they come).

`table_cases` lists every (kind, reachable state, action); `check_every_actor` tries one action
from one state as every persona and says where the service and the table disagree: where the
table lets the persona take the action the service must succeed (to the row's target); everywhere
else it must refuse with InvalidTransition (no such step from here) or NotAllowed (not this
persona's step) and change nothing. Each try runs in a savepoint that is rolled back, so the
record is built once per case.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from kesu.core.errors import InvalidTransition, NotAllowed
from kesu.core.workflow import Workflow


def table_cases(workflow: Workflow, kinds=(None,)) -> list:
    return [
        pytest.param(kind, state, action, id=f"{kind}-{state}-{action}" if kind else
                     f"{state}-{action}")
        for kind in kinds
        for state in workflow.reachable(kind)
        for action in sorted(workflow.actions)
    ]


@dataclass
class Subject:
    """How the check reads and moves one record of the workflow."""

    # (state, version, number of events) as stored now.
    snapshot: Callable[[], tuple]
    # Take the action as this user; returns (state, version) after it.
    take: Callable[[object], tuple]
    # What the persona is to the record now: the actors of the table.
    actors_of: Callable[[str], set]
    # Whether the step wrote what it should beyond the state (its event…): a message or None.
    recorded: Callable[[object], str | None] = lambda user: None


def check_every_actor(
    workflow: Workflow, kind, state: str, action: str, personas: dict, subject: Subject
) -> list[str]:
    transition = workflow.find(action, state, kind)
    mismatches = []
    for persona, user in personas.items():
        allowed = transition is not None and bool(transition.actors & subject.actors_of(persona))
        before = subject.snapshot()
        savepoint = transaction.savepoint()
        try:
            try:
                after = subject.take(user)
            except (InvalidTransition, NotAllowed) as error:
                expected = InvalidTransition if transition is None else NotAllowed
                if allowed or type(error) is not expected:
                    mismatches.append(f"{persona}: refused with {error.code}: {error.message}")
                elif subject.snapshot() != before:
                    mismatches.append(f"{persona}: refused but the record or its events changed")
                continue
            if not allowed:
                mismatches.append(f"{persona}: took it, but the table does not allow it")
                continue
            if after != (transition.target, before[1] + 1):
                mismatches.append(f"{persona}: ended in {after[0]} v{after[1]}")
            problem = subject.recorded(user)
            if problem:
                mismatches.append(f"{persona}: {problem}")
        finally:
            transaction.savepoint_rollback(savepoint)
    return mismatches
