"""Lifecycle participants: how the apps above the complaint take part in its life without the
complaint service importing them (STYLE habit 13).

The participants are listed, in the order they run, in one place: `settings.KESU_LIFECYCLE`
(like MIDDLEWARE). Each is a class with the hooks it needs; every hook runs inside the
transaction of the complaint's change, after the complaint row is written, so what a
participant writes commits or rolls back with it. A hook that raises a KesuError refuses the
whole change. Side effects outside the database (mail, files) go through the outbox or
`transaction.on_commit`, never here.

    created(change)        a complaint was recorded (before its first event)
    transitioned(change)   a workflow step was taken (before its event)
    updated(change)        the record was edited (`change.changes` names the fields)
    waiting(change)        the complaint now waits on the customer (information requested)
    resumed(change)        the customer answered
    event_recorded(event)  an event was written to the log through its factory
    suggest(complaint, transition, initial)   fill in initial values of an action's form
                                               (a read, outside any transaction)

Pages: a participant's `panel(request, complaint, context)` adds what its card on the complaint
page needs to the page's context and returns the template of the card (or None: no card); cards
follow the order of the registry and see what earlier ones added. `work(request, context)` does
the same for a section of "my work" (escalations waiting on the user). `list_prefetches()` returns
the `Prefetch`es that the complaint lists need for the participant's columns (one query each,
whatever the page size).

Gates: a participant's `gates` maps a `Gate` declared on the workflow table to the check that
judges it (`check(complaint)` raises when the complaint may not pass).
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from kesu.core.workflow import Step


@dataclass
class Change:
    complaint: object
    actor: object
    now: datetime
    # Set for a transition: the row, its parsed inputs, the state it left.
    step: Step | None = None
    # The fields the change wrote, with their new values.
    changes: dict = field(default_factory=dict)

    @property
    def transition(self):
        return self.step.transition if self.step else None

    @property
    def inputs(self) -> dict:
        return self.step.inputs if self.step else {}


class Participant:
    """Every hook does nothing unless a participant overrides it."""

    gates: dict = {}

    def created(self, change: Change) -> None:
        pass

    def transitioned(self, change: Change) -> None:
        pass

    def updated(self, change: Change) -> None:
        pass

    def waiting(self, change: Change) -> None:
        pass

    def resumed(self, change: Change) -> None:
        pass

    def event_recorded(self, event) -> None:
        pass

    def suggest(self, complaint, transition, initial: dict) -> None:
        pass

    def panel(self, request, complaint, context: dict) -> str | None:
        return None

    def list_prefetches(self) -> list:
        return []

    def work(self, request, context: dict) -> str | None:
        """ "My work" is drawn: add to the context, return the template of a section shown
        above the complaints (or None: nothing waits on this user here)."""
        return None

    def list_filter(self, params) -> "ListFilter | None":
        """The complaint lists' filter this app offers, read from the query `params` (a
        QueryDict); None when its parameters are absent. Raises ValidationFailed for values
        that do not parse."""
        return None


@dataclass(frozen=True)
class ListFilter:
    """A filter a participant adds to the complaint lists (the on-time report's drill-down)."""

    q: Q  # over Complaint
    label: str  # what the list is showing, in words
    params: dict  # the query parameters it read, kept when the other filters change


@cache
def participants() -> tuple[Participant, ...]:
    loaded = tuple(import_string(path)() for path in settings.KESU_LIFECYCLE)
    for participant in loaded:
        for gate, check in participant.gates.items():
            gate.register(check)
    return loaded


def reload() -> None:
    """Read `settings.KESU_LIFECYCLE` again (after a test overrides it)."""
    for participant in participants():
        for gate, check in participant.gates.items():
            gate.unregister(check)
    participants.cache_clear()
    participants()


def _each(hook: str, *args) -> None:
    for participant in participants():
        getattr(participant, hook)(*args)


def created(change: Change) -> None:
    _each("created", change)


def transitioned(change: Change) -> None:
    _each("transitioned", change)


def updated(change: Change) -> None:
    _each("updated", change)


def waiting(change: Change) -> None:
    _each("waiting", change)


def resumed(change: Change) -> None:
    _each("resumed", change)


def event_recorded(event) -> None:
    _each("event_recorded", event)


def suggest(complaint, transition, initial: dict) -> None:
    _each("suggest", complaint, transition, initial)


def panels(request, complaint, context: dict) -> list[str]:
    """The templates of the participants' cards on the complaint page, in registry order."""
    templates = []
    for participant in participants():
        template = participant.panel(request, complaint, context)
        if template:
            templates.append(template)
    return templates


def work_sections(request, context: dict) -> list[str]:
    """The templates of the participants' sections of "my work", in registry order."""
    return [t for participant in participants() if (t := participant.work(request, context))]

def list_filters(params) -> list[ListFilter]:
    return [f for each in participants() if (f := each.list_filter(params)) is not None]


def list_prefetches() -> list:
    return [prefetch for each in participants() for prefetch in each.list_prefetches()]
