"""Writes to complaints. Each is one transaction: guard, compare-and-set, event row, and side
effects registered with on_commit (SPEC §5, STYLE habit 2)."""

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events, lifecycle, limits, routing
from kesu.complaints.access import actors_of, can_comment, can_edit, can_record
from kesu.complaints.choices import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Channel,
    Severity,
    Visibility,
)
from kesu.complaints.inputs import MAX_NOTE, ComplaintInput, TransitionInput, parse
from kesu.complaints.lifecycle import Change
from kesu.complaints.locks import lock_complaint
from kesu.complaints.models import Attachment, Complaint, ComplaintEvent, NumberSequence
from kesu.complaints.search import search_index, search_index_new
from kesu.complaints.uploads import StoredFile, check_upload, store_upload
from kesu.complaints.workflow import WORKFLOW, Actor, Transition
from kesu.core import clock
from kesu.core.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from kesu.core.workflow import Step
from kesu.org.models import Role, User

# Fields of the record that an edit may change (status and ownership change by transitions only).
EDITABLE_FIELDS = (
    "kind",
    "category",
    "severity",
    "is_repeat",
    "channel",
    "received_at",
    "customer",
    "contact_name",
    "contact_phone",
    "contact_email",
    "customer_reference",
    "order_number",
    "products",
    "lots",
    "quantity_affected",
    "defect_code",
    "title",
    "description",
    "remedies",
    "remedy_detail",
)
MANY_TO_MANY = ("products", "lots", "team")
# The editable fields the full-text search document holds (kesu.complaints.search).
SEARCHED_FIELDS = frozenset({
    "title", "description", "customer", "contact_name", "order_number", "customer_reference",
    "products", "lots",
})
# Lots to check on later deliveries before closing (SPEC §5 step 7), unless the customer says.
DEFAULT_VERIFICATION_LOTS = {Severity.GENERAL: 2, Severity.SERIOUS: 3, Severity.MAJOR: 3}




def _next_number(now) -> str:
    """KS-YYYY-NNNNNN, gap-free: one UPDATE … RETURNING increments the year's counter and holds
    its row lock (PostgreSQL; SQLite's IMMEDIATE transaction holds the database) until the
    creating transaction ends, which rolls the counter back with it. The caller draws it as late
    as it can, so concurrent recordings queue only on the writes that follow."""
    year = timezone.localtime(now).year
    last = _increment(year)
    if last is None:
        # The year's first complaint: make its row (a concurrent first one may win the insert;
        # get_or_create then finds its row), and increment it like any other.
        NumberSequence.objects.get_or_create(year=year)
        last = _increment(year)
    return f"KS-{year}-{last:06d}"


def _increment(year: int) -> int | None:
    # UPDATE … RETURNING is the same on PostgreSQL and SQLite (3.35+); the ORM cannot say it.
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"', [year]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _check_record_rules(data: dict, now) -> None:
    errors = {}
    received_at = data.get("received_at")
    if received_at and received_at > now + timedelta(minutes=5):
        errors["received_at"] = [_("The receipt time cannot be in the future.")]
    customer = data["customer"]
    products = {product.pk for product in data["products"]}
    for lot in data.get("lots") or ():
        if lot.customer_id != customer.pk:
            errors.setdefault("lots", []).append(
                _("Lot %(lot)s was not shipped to this customer.") % {"lot": lot.number}
            )
        elif lot.product_id not in products:
            errors.setdefault("lots", []).append(
                _("Lot %(lot)s is not of one of the selected products.") % {"lot": lot.number}
            )
    if errors:
        raise ValidationFailed(field_errors=errors)


def complaint_create(*, actor: User, data: dict, files=()) -> Complaint:
    """Record a complaint or feedback (SPEC §3). Routing suggests owners at once (§4)."""
    if not can_record(actor):
        raise NotAllowed()
    cleaned = parse(ComplaintInput(data=data))
    now = clock.now()
    _check_record_rules(cleaned, now)
    for upload in files:
        check_upload(upload)
    stored = [store_upload(upload) for upload in files]  # before the transaction
    complaint = Complaint(
        received_by=actor,
        transferred_by=actor
        if cleaned["channel"] == Channel.TRANSFER and actor.role != Role.CS_AGENT
        else None,
        **{k: v for k, v in cleaned.items() if k not in MANY_TO_MANY},
    )
    complaint.received_at = cleaned.get("received_at") or now
    complaint.status_changed_at = now
    complaint.verification_lots = (
        cleaned["customer"].verification_lots or DEFAULT_VERIFICATION_LOTS[complaint.severity]
    )
    # Reads that need no lock come before the transaction: routing rules are configuration.
    decision = routing.route(complaint, cleaned["products"])
    if decision:
        complaint.responsible_department = decision.department
        complaint.handler = decision.handler
        complaint.tracker = decision.tracker
    with transaction.atomic():
        # The counter is the first write: from here to the commit, other recordings wait.
        complaint.number = _next_number(now)
        complaint.save(force_insert=True)
        # A new complaint has no links yet: insert them, without m2m set()'s read of old ones.
        _link(Complaint.products.through, "product", complaint, cleaned["products"])
        _link(Complaint.lots.through, "lot", complaint, cleaned.get("lots") or ())
        search_index_new(
            complaint, products=cleaned["products"], lots=cleaned.get("lots") or ()
        )
        # Time limits start, the 8D is opened, the reply commitment is computed (SPEC §3, §6).
        lifecycle.created(Change(complaint=complaint, actor=actor, now=now))
        events.created(
            complaint,
            actor=actor,
            at=now,
            routing_rule=decision.rule_name if decision else None,
        )
        for file in stored:
            _attach(complaint, actor=actor, stored=file, now=now)
    return complaint


def _link(through: type[Model], name: str, complaint: Complaint, targets) -> None:
    rows = [through(complaint=complaint, **{name: target}) for target in targets]
    if rows:
        through.objects.bulk_create(rows)


def record_values(complaint: Complaint) -> dict:
    """The editable record as raw input (ids for references), the shape ComplaintInput reads:
    the basis of an edit here and the initial data of the edit form."""
    values = {}
    for name in EDITABLE_FIELDS:
        if name in MANY_TO_MANY:
            values[name] = [obj.pk for obj in getattr(complaint, name).all()]
        elif name in ("customer", "defect_code"):
            values[name] = getattr(complaint, f"{name}_id")
        else:
            values[name] = getattr(complaint, name)
    return values


def _jsonable(value):
    """A value as it is written into an event payload: names for objects, ISO for times."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (QuerySet, list, tuple)):
        return sorted(_jsonable(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def complaint_update(*, actor: User, complaint: Complaint, version: int, data: dict) -> Complaint:
    """Edit the record while it is open. `data` holds only the fields to change; a stale
    `version` is refused and nothing is written."""
    if not can_edit(actor, complaint):
        raise NotAllowed()
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            field_errors={name: [_("This field cannot be changed here.")] for name in unknown}
        )
    before = record_values(complaint)
    cleaned = parse(ComplaintInput(data={**before, **data}))
    now = clock.now()
    _check_record_rules(cleaned, now)
    previous = {
        name: (getattr(complaint, name).all() if name in MANY_TO_MANY else getattr(complaint, name))
        for name in data
    }
    changes = {
        name: cleaned[name]
        for name in data
        if _jsonable(cleaned[name]) != _jsonable(previous[name])
    }
    if not changes:
        # Nothing to write: bumping the version would only make others' saves look stale.
        if Complaint.objects.filter(pk=complaint.pk, version=version).exists():
            return complaint
        raise StaleVersion()
    with transaction.atomic():
        scalar = {k: v for k, v in changes.items() if k not in MANY_TO_MANY}
        if scalar.get("received_at") is None:
            scalar.pop("received_at", None)
        updated = Complaint.objects.filter(pk=complaint.pk, version=version).update(
            version=version + 1, updated_at=now, **scalar
        )
        if not updated:
            raise StaleVersion()
        for name in MANY_TO_MANY:
            if name in changes:
                getattr(complaint, name).set(changes[name])
        complaint.refresh_from_db()
        if SEARCHED_FIELDS & changes.keys():
            search_index([complaint])
        # Time limits re-match their policy when the classification changed (SPEC §6).
        lifecycle.updated(Change(complaint=complaint, actor=actor, now=now, changes=changes))
        events.updated(
            complaint,
            actor=actor,
            at=now,
            changes={
                name: {"from": _jsonable(previous[name]), "to": _jsonable(value)}
                for name, value in changes.items()
            },
        )
    complaint.refresh_from_db()
    return complaint


def complaint_transition(
    *, actor: User, complaint: Complaint, action: str, version: int, data: dict | None = None
) -> Complaint:
    """Take one step of the workflow table. `data` holds the note and the action's inputs."""
    transition = WORKFLOW.find(action, complaint.status, complaint.kind)
    if transition is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the complaint is “%(status)s”.")
            % {"action": action, "status": complaint.get_status_display()}
        )
    if not transition.actors & actors_of(actor, complaint):
        raise NotAllowed(_("Your role may not take this step on this complaint."))
    inputs = parse(TransitionInput(data=data or {}, transition=transition))
    now = clock.now()
    step = Step(actor=actor, subject=complaint, transition=transition, inputs=inputs, now=now)
    with transaction.atomic():
        # Locked before the guards: the 8D gates they check are edited under the same lock.
        locked = lock_complaint(complaint.pk)
        if (locked.status, locked.version) != (complaint.status, version):
            raise StaleVersion()
        transition.check(step)
        changes = transition.changes(step)
        if transition.target in TERMINAL_STATUSES:
            # A record that ends waits for nothing, not even the customer's answer.
            changes["info_requested_at"] = None
        scalar = {k: v for k, v in changes.items() if k not in MANY_TO_MANY}
        updated = Complaint.objects.filter(
            pk=complaint.pk, version=version, status=complaint.status
        ).update(
            status=transition.target,
            status_changed_at=now,
            version=version + 1,
            updated_at=now,
            **scalar,
        )
        if not updated:
            raise StaleVersion()
        for name in MANY_TO_MANY:
            if name in changes:
                getattr(complaint, name).set(changes[name])
        step.from_state = complaint.status
        complaint.refresh_from_db()
        # Clocks end and start, the 8D follows (SPEC §5, §6, §7).
        lifecycle.transitioned(
            Change(complaint=complaint, actor=actor, now=now, step=step, changes=changes)
        )
        given = {
            name: inputs[name]
            for name in transition.inputs
            if inputs.get(name) not in (None, "", [])
        }
        ids = {name: _ids(value) for name, value in given.items()}
        events.transitioned(
            complaint,
            actor=actor,
            at=now,
            action=transition.action,
            from_status=step.from_state,
            to_status=transition.target,
            note=inputs.get("note", ""),
            visibility=Visibility.CUSTOMER if transition.customer_visible else Visibility.INTERNAL,
            inputs={name: _jsonable(value) for name, value in given.items()},
            ids={name: value for name, value in ids.items() if value is not None},
        )
    complaint.refresh_from_db()
    return complaint


def _ids(value):
    """The ids beside the display names an event keeps (names change; ids do not)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (QuerySet, list, tuple)) and value and isinstance(value[0], Model):
        return sorted(item.pk for item in value)
    return None


def complaint_comment(
    *,
    actor: User,
    complaint: Complaint,
    text: str,
    visibility: str = Visibility.INTERNAL,
    files=(),
) -> ComplaintEvent:
    """A message on the complaint's one thread; customers' messages are always customer-visible."""
    if not can_comment(actor, complaint):
        raise NotAllowed()
    text = (text or "").strip()
    if not text and not files:
        raise ValidationFailed(field_errors={"text": [_("Write a message or attach a file.")]})
    if "\x00" in text:
        # PostgreSQL cannot store NUL; forms refuse it with the same words.
        raise ValidationFailed(field_errors={"text": [_("Null characters are not allowed.")]})
    if len(text) > MAX_NOTE:
        raise ValidationFailed(
            field_errors={"text": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]}
        )
    if visibility not in Visibility.values:
        raise ValidationFailed(field_errors={"visibility": [_("Unknown visibility.")]})
    customer = actor.role == Role.CUSTOMER
    if customer:
        visibility = Visibility.CUSTOMER
        # Refused before any file is stored; counted again under the locks below.
        _check_rate(actor, complaint, events.COMMENT, limits.MESSAGE_LIMITS, clock.now())
    for upload in files:
        check_upload(upload)
    stored = [store_upload(upload) for upload in files]  # before the transaction
    now = clock.now()
    with transaction.atomic():
        if customer:
            _lock_writer(actor, complaint)
            _check_rate(actor, complaint, events.COMMENT, limits.MESSAGE_LIMITS, now)
        event = events.commented(
            complaint, actor=actor, at=now, text=text, visibility=visibility
        )
        for file in stored:
            _attach(complaint, actor=actor, stored=file, now=now, visibility=visibility)
        # A customer's message is the answer the clocks were waiting for.
        if actor.role == Role.CUSTOMER and complaint.info_requested_at is not None:
            _info_received(complaint, actor=actor, now=now, note="")
    return event


def _lock_writer(actor: User, complaint: Complaint) -> None:
    """Serialise a customer's writes, so that two requests at once cannot both take the last
    place under a limit: the complaint row (per-complaint limits) and then the contact's user
    row (limits over all their complaints), always in this order."""
    lock_complaint(complaint.pk)
    list(User.objects.select_for_update(no_key=True).filter(pk=actor.pk).values_list("pk"))


def _check_rate(actor: User, complaint: Complaint, event_type, rules, now) -> None:
    moment = limits.retry_at(
        actor=actor, complaint=complaint, event_type=event_type, limits=rules, now=now
    )
    if moment is not None:
        raise limits.refuse(moment, files=rules is limits.FILE_LIMITS)


def _attach(complaint, *, actor, stored: StoredFile, now, visibility=Visibility.INTERNAL):
    """The rows of a file already in storage (store_upload, before the transaction)."""
    event = events.attached(
        complaint, actor=actor, at=now, name=stored.original_name, visibility=visibility
    )
    attachment = Attachment(
        complaint=complaint,
        event=event,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.file.name = stored.name
    attachment.save()
    return attachment


def complaint_attach(
    *,
    actor: User,
    complaint: Complaint,
    upload,
    visibility=Visibility.INTERNAL,
    stored: StoredFile | None = None,
):
    """Attach one file. `stored`: the upload already in storage, from a caller that stores
    several files before its one transaction (8D evidence)."""
    if not can_comment(actor, complaint):
        raise NotAllowed()
    if visibility not in Visibility.values:
        raise ValidationFailed(field_errors={"visibility": [_("Unknown visibility.")]})
    # As with messages: what a customer sends is on their side of the thread, or they could
    # not see their own file.
    customer = actor.role == Role.CUSTOMER
    if customer:
        visibility = Visibility.CUSTOMER
        _check_rate(actor, complaint, events.ATTACHMENT, limits.FILE_LIMITS, clock.now())
    check_upload(upload)
    if stored is None:
        stored = store_upload(upload)  # before the transaction
    now = clock.now()
    with transaction.atomic():
        if customer:
            _lock_writer(actor, complaint)
            _check_rate(actor, complaint, events.ATTACHMENT, limits.FILE_LIMITS, now)
        return _attach(complaint, actor=actor, stored=stored, now=now, visibility=visibility)


def suggested_inputs(complaint: Complaint, transition: Transition) -> dict:
    """Initial values for an action's form: routing's owners, and what the participants
    suggest (the acceptance step's due time for a dispatch)."""
    initial = {}
    if "responsible_department" in transition.inputs:
        initial["responsible_department"] = complaint.responsible_department_id
    if "handler" in transition.inputs:
        initial["handler"] = complaint.handler_id
    if "tracker" in transition.inputs:
        initial["tracker"] = complaint.tracker_id
    # The participants fill in what they know (a due time from the time limits).
    lifecycle.suggest(complaint, transition, initial)
    return initial


def can_request_info(user: User, complaint: Complaint) -> bool:
    """Customer service, the tracker and the handler's side may ask; only while open."""
    if complaint.status not in OPEN_STATUSES:
        return False
    return bool(
        actors_of(user, complaint)
        & {Actor.AGENT, Actor.TRACKER, Actor.HANDLER, Actor.DEPT_MANAGER, Actor.SALES}
    )


def complaint_request_info(
    *, actor: User, complaint: Complaint, version: int, note: str
) -> Complaint:
    """Ask the customer for information: the question goes to them and every running clock
    stops until they answer (SPEC §6)."""
    if not can_request_info(actor, complaint):
        raise NotAllowed()
    note = _clean_note(note, required=True)
    if complaint.info_requested_at is not None:
        raise InvalidTransition(_("Information has already been requested from the customer."))
    now = clock.now()
    with transaction.atomic():
        updated = Complaint.objects.filter(
            pk=complaint.pk, version=version, info_requested_at__isnull=True
        ).update(info_requested_at=now, version=version + 1, updated_at=now)
        if not updated:
            raise StaleVersion()
        complaint.refresh_from_db()
        # Every running clock stops (SPEC §6).
        lifecycle.waiting(Change(complaint=complaint, actor=actor, now=now))
        events.info_requested(complaint, actor=actor, at=now, question=note)
    return complaint


def complaint_info_received(
    *, actor: User, complaint: Complaint, version: int, note: str = ""
) -> Complaint:
    """Record that the customer answered (by phone, say): the clocks run again."""
    if not can_request_info(actor, complaint):
        raise NotAllowed()
    note = _clean_note(note, required=False)
    if complaint.info_requested_at is None:
        raise InvalidTransition(_("No information is being waited for."))
    now = clock.now()
    with transaction.atomic():
        if not _info_received(complaint, actor=actor, now=now, note=note, version=version):
            raise StaleVersion()
    complaint.refresh_from_db()
    return complaint


def _info_received(
    complaint: Complaint, *, actor: User, now, note: str, version: int | None = None
) -> bool:
    """Whether the answer was recorded. With `version`, a compare-and-set on it: checked in
    the update itself, not before it, so an edit committed in between makes it refuse."""
    condition = {"version": version} if version is not None else {}
    updated = Complaint.objects.filter(
        pk=complaint.pk, info_requested_at__isnull=False, **condition
    ).update(info_requested_at=None, version=F("version") + 1, updated_at=now)
    if not updated:
        return False
    complaint.refresh_from_db()
    lifecycle.resumed(Change(complaint=complaint, actor=actor, now=now))
    events.info_received(complaint, actor=actor, at=now, note=note)
    return True


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed(field_errors={"note": [_("This field is required.")]})
    if "\x00" in note:
        raise ValidationFailed(field_errors={"note": [_("Null characters are not allowed.")]})
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            field_errors={"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]}
        )
    return note
