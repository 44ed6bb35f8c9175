"""Workflows as tables (STYLE habit 5), for the complaint and for every small workflow that joins
its life later (returns, claims).

A `Workflow` is a tuple of `Transition` rows: which action leads from which states to which
state, for which kinds of record, and which actors may take it. A row also holds its rules:
`guards` refuse the step (they raise a KesuError with a translated message) and `effects` return
the field updates the step makes. Guards and effects take one `Step` context, so the same row
drives the buttons, the API, the service and the parametrised test over every
(state, action, actor).

Some guards are `Gate`s: the row says *that* the step needs something ("the plan is ready"),
and an app above the workflow's own app supplies *how* that is judged, without the workflow's
app importing it (STYLE habit 13). A gate judges the subject alone (never the step's inputs),
so a page can ask it before anyone fills in a form: `Gate.problems(subject)` runs the very checks
the service runs and returns what is missing, each `Problem` with where it is put right. A check
that refuses with a `GateRefused` names its problems; one that raises any other KesuError counts
as one problem without a link (the checks written before problems existed).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.core.errors import InvalidTransition, KesuError


@dataclass
class Step:
    """One step being taken: who, on what, by which row, with which parsed inputs, when."""

    actor: Any
    subject: Any
    transition: "Transition"
    inputs: dict
    now: datetime
    # Filled by the service once the step is written: the state it left.
    from_state: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing missing before a step may be taken, and the page (with its anchor) where it
    is put right; "" when there is nowhere to link to."""

    message: Any
    url: str = ""

    def __str__(self) -> str:
        return str(self.message)


class GateRefused(InvalidTransition):
    """A gate's check refusing, with each missing item as a `Problem`; the message is what an
    API client or a refused form reads as one sentence."""

    def __init__(self, message=None, *, problems=(), **kwargs):
        self.problems = list(problems)
        super().__init__(message, **kwargs)


Guard = Callable[[Step], None]
Effect = Callable[[Step], dict]


class Gate:
    """A named condition on a step whose checks are registered by other apps.

    With no check registered a gate passes: an app that is not installed has nothing to say.
    """

    def __init__(self, name: str, description: Promise):
        self.name = name
        self.description = description
        self._checks: list[Callable[[Any], None]] = []

    def register(self, check: Callable[[Any], None]) -> None:
        """`check(subject)` raises a KesuError when the subject may not pass."""
        if check not in self._checks:
            self._checks.append(check)

    def unregister(self, check: Callable[[Any], None]) -> None:
        if check in self._checks:
            self._checks.remove(check)

    def __call__(self, step: Step) -> None:
        for check in self._checks:
            check(step.subject)

    def problems(self, subject) -> list[Problem]:
        """Everything every check finds missing (the service stops at the first refusal; a
        page lists them all)."""
        found: list[Problem] = []
        for check in self._checks:
            try:
                check(subject)
            except GateRefused as exc:
                found.extend(exc.problems or [Problem(exc.message)])
            except KesuError as exc:
                found.append(Problem(exc.message))
        return found

    def __repr__(self):
        return f"Gate({self.name})"


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    # The kinds of record the row applies to (a complaint or a feedback…); None: all.
    kinds: frozenset[str] | None = None
    note_label: Promise = _("Comment")
    note_required: bool = False
    # Extra inputs the action takes besides the note, and which of them are required.
    inputs: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # "primary" moves the record forward; "danger" sends it back or ends it.
    style: str = "primary"
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()

    def applies_to(self, state: str, kind: str | None = None) -> bool:
        return state in self.sources and (self.kinds is None or kind in self.kinds)

    @property
    def gates(self) -> tuple[Gate, ...]:
        return tuple(guard for guard in self.guards if isinstance(guard, Gate))

    def problems(self, subject) -> list[Problem]:
        """What the row's gates find missing on `subject` now: the step is refused while any
        is left."""
        return [problem for gate in self.gates for problem in gate.problems(subject)]

    def check(self, step: Step) -> None:
        """Run every guard; the first that refuses raises."""
        for guard in self.guards:
            guard(step)

    def changes(self, step: Step) -> dict:
        """The field updates of every effect, in the row's order."""
        updates: dict = {}
        for effect in self.effects:
            updates.update(effect(step))
        return updates


@dataclass(frozen=True)
class Workflow:
    """A workflow table with the questions every caller asks of it."""

    name: str
    transitions: tuple[Transition, ...]
    states: tuple[str, ...]
    initial: str
    _by_action: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        by_action: dict[str, list[Transition]] = {}
        for transition in self.transitions:
            by_action.setdefault(transition.action, []).append(transition)
        object.__setattr__(self, "_by_action", by_action)

    def __iter__(self):
        return iter(self.transitions)

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self._by_action)

    def find(self, action: str, state: str, kind: str | None = None) -> Transition | None:
        """The row for this action from this state for this kind, or None if there is none."""
        for transition in self._by_action.get(action, ()):
            if transition.applies_to(state, kind):
                return transition
        return None

    def from_state(self, state: str, kind: str | None = None) -> list[Transition]:
        return [t for t in self.transitions if t.applies_to(state, kind)]

    def allowed(self, state: str, kind: str | None, actors: Iterable[str]) -> list[Transition]:
        actors = frozenset(actors)
        return [t for t in self.from_state(state, kind) if t.actors & actors]

    def reachable(self, kind: str | None = None) -> list[str]:
        """The states reachable from the initial one for this kind, in the table's state
        order: the parametrised test builds its cases from this."""
        seen, frontier = {self.initial}, [self.initial]
        while frontier:
            state = frontier.pop()
            for transition in self.from_state(state, kind):
                if transition.target not in seen:
                    seen.add(transition.target)
                    frontier.append(transition.target)
        return [state for state in self.states if state in seen]
