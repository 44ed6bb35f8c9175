"""Builds the demo company (see data.py) in an empty database.

Organisation and master data are written directly, as an administrator would enter them.
Complaints are recorded and moved only through the services, by the persona whose job each step
is, so that their timelines, 8D reports and counters are what the real loop produces.
"""

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kesu.calendars.models import Calendar
from kesu.calendars.services import calendar_seed_holidays
from kesu.complaints.choices import CancelReason, Visibility
from kesu.complaints.models import Complaint, RoutingRule
from kesu.complaints.services import complaint_comment, complaint_create, complaint_transition
from kesu.core import clock
from kesu.demo import data
from kesu.demo import eightd as demo_8d
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_sign, discipline_update
from kesu.masterdata.inspections import inspection_record
from kesu.masterdata.models import (
    Contact,
    Customer,
    DefectCode,
    Lot,
    Product,
    ProductLine,
    Supplier,
)
from kesu.notifications.services import channel_preferences_set
from kesu.org.models import Center, Department, Process, Role, User
from kesu.timelimits.sweeper import sla_sweep
from kesu.verification.selectors import LOOKAHEAD, current_round, round_read
from kesu.verification.services import (
    verification_confirm_outcome,
    verification_propose_outcome,
)

# Same data on every run: lots, receipt times and everything derived from them.
SEED = 20_240_601
# How long people take for a step in the demo's history (clock hours): mostly within the time
# limit, sometimes not, as in any factory.
# The demo's history reaches back into 2025; holidays are seeded from 2024.
FIRST_CALENDAR_YEAR = 2024
STEP_DELAYS_HOURS = (0.5, 1, 1.5, 2, 3, 4, 6, 20, 26, 30, 50, 74)


class DemoLoader:
    def __init__(self, *, password: str):
        self.password = password
        self.rng = random.Random(SEED)
        self.now = clock.now()
        self.users: dict[str, User] = {}
        self.contacts: dict[str, User] = {}  # customer code -> portal login
        self.departments: dict[str, Department] = {}
        self.customers: dict[str, Customer] = {}
        self.products: dict[str, Product] = {}
        self.defects: dict[str, DefectCode] = {}
        self.complaints: dict[str, Complaint] = {}

    # --- Organisation -------------------------------------------------------------------------

    def load(self) -> None:
        self.load_calendars()
        self.load_organisation()
        self.load_master_data()
        self.load_customer_logins()
        self.load_routing_rules()
        for scenario in sorted(data.SCENARIOS, key=lambda s: (-s.days_ago, bool(s.duplicate_of))):
            self.complaints[scenario.key] = ScenarioRun(self, scenario).run()
        # What the worker would have raised by now: reminders, overdue notices, escalations.
        sla_sweep(now=self.now)

    def load_calendars(self) -> None:
        """China's holidays and make-up days (调休) in every calendar that observes them."""
        years = range(FIRST_CALENDAR_YEAR, timezone.localtime(self.now).year + 2)
        for calendar in Calendar.objects.filter(observes_public_holidays=True, is_24x7=False):
            calendar_seed_holidays(calendar=calendar, years=years)

    def load_organisation(self) -> None:
        # One hash for every demo login: hashing is deliberately slow, and the logins share
        # one password anyway.
        hashed = make_password(self.password)
        centers = {
            code: Center.objects.create(code=code, name=name) for code, name, _head in data.CENTERS
        }
        for code, name, center, _manager, sees_all in data.DEPARTMENTS:
            self.departments[code] = Department.objects.create(
                code=code, name=name, center=centers[center], sees_all_complaints=sees_all
            )
        for username, display_name, role, department in data.USERS:
            is_admin = role == Role.ADMIN
            self.users[username] = User.objects.create(
                username=username,
                password=hashed,
                display_name=display_name,
                role=role,
                department=self.departments.get(department),
                email=f"{username}@kesu-demo.example",
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        for user in self.users.values():
            # The addresses are made up: the bell only, until a login switches e-mail on in
            # its notification settings (else the worker would mail hundreds of them).
            channel_preferences_set(user=user, enabled={"email": False})
        for code, _name, head in data.CENTERS:
            centers[code].head = self.users[head]
            centers[code].save(update_fields=["head"])
        for code, _name, _center, manager, _sees_all in data.DEPARTMENTS:
            self.departments[code].manager = self.users[manager]
            self.departments[code].save(update_fields=["manager"])
        for kind, department, owner in data.PROCESSES:
            Process.objects.create(
                kind=kind, owning_department=self.departments[department], owner=self.users[owner]
            )

    def load_customer_logins(self) -> None:
        hashed = self.users["agent"].password
        for customer in data.CUSTOMERS:
            self.contacts[customer.code] = User.objects.create(
                username=customer.login,
                password=hashed,
                display_name=f"{customer.contact}（{customer.name}）",
                role=Role.CUSTOMER,
                customer=self.customers[customer.code],
                email=customer.email,
            )

    # --- Master data --------------------------------------------------------------------------

    def load_master_data(self) -> None:
        lines = {
            code: ProductLine.objects.create(code=code, name=name)
            for code, name in data.PRODUCT_LINES
        }
        for code, name, line, grade in data.PRODUCTS:
            self.products[code] = Product.objects.create(
                code=code, name=name, product_line=lines[line], grade=grade
            )
        for customer in data.CUSTOMERS:
            self.customers[customer.code] = Customer.objects.create(
                code=customer.code,
                name=customer.name,
                grade=customer.grade,
                status=customer.status,
                verification_lots=customer.verification_lots,
            )
            Contact.objects.create(
                customer=self.customers[customer.code],
                name=customer.contact,
                title=customer.title,
                phone=customer.phone,
                email=customer.email,
            )
        for code, name, contact, phone, email, status in data.SUPPLIERS:
            Supplier.objects.create(
                code=code, name=name, contact_name=contact, phone=phone, email=email, status=status
            )
        for group_code, group_name, codes in data.DEFECT_GROUPS:
            group = DefectCode.objects.create(code=group_code, name=group_name)
            for code, name in codes:
                self.defects[code] = DefectCode.objects.create(code=code, name=name, parent=group)
        self.load_lots()

    def load_lots(self) -> None:
        """Five lots per customer over the last six months, cycling through what it buys."""
        today = timezone.localdate(self.now)
        per_customer = data.LOTS // len(data.CUSTOMERS)
        spread = data.LOT_MONTHS * 30 // per_customer
        lots = []
        for customer in data.CUSTOMERS:
            for index in range(per_customer):
                ship = today - timedelta(days=175 - index * spread - self.rng.randint(0, 10))
                delivery = min(ship + timedelta(days=self.rng.randint(1, 4)), today)
                lots.append(
                    (ship, delivery, customer, customer.products[index % len(customer.products)])
                )
        lots.sort(key=lambda lot: (lot[0], lot[2].code))
        for number, (ship, delivery, customer, product) in enumerate(lots, start=1):
            Lot.objects.create(
                number=f"L{ship:%y%m%d}-{number:03d}",
                product=self.products[product],
                customer=self.customers[customer.code],
                quantity=self.rng.choice([500, 1000, 2000, 3000, 5000, 10000]),
                ship_date=ship,
                delivery_date=delivery,
            )

    def load_routing_rules(self) -> None:
        lines = {line.code: line for line in ProductLine.objects.all()}
        for priority, name, conditions, department, handler, tracker in data.ROUTING_RULES:
            RoutingRule.objects.create(
                priority=priority,
                name=name,
                kind=conditions.get("kind", ""),
                category=conditions.get("category", ""),
                severity=conditions.get("severity", ""),
                product_line=lines.get(conditions.get("product_line")),
                department=self.departments[department],
                handler=self.users.get(handler),
                tracker=self.users.get(tracker),
            )


class ScenarioRun:
    """One complaint of the demo, from its recording through the scenario's steps."""

    def __init__(self, loader: DemoLoader, scenario: data.Scenario):
        self.loader = loader
        self.s = scenario
        self.users = loader.users
        self.complaint: Complaint | None = None
        self.plans = 0

    def user(self, username: str) -> User:
        if username == "customer":
            return self.loader.contacts[self.s.customer]
        return self.users[username]

    # --- Recording ----------------------------------------------------------------------------

    def run(self) -> Complaint:
        # Each action happens at its own moment of the scenario's history, so step clocks,
        # reminders and the on-time rate come out as they would have in real life.
        self.at = self.received_at()
        with clock.frozen(self.at):
            self.record()
            self.comment_after("create")
        gaps = list(self.s.gaps_hours)
        for number, step in enumerate(self.s.steps):
            self.advance(gaps[number] if number < len(gaps) else None, len(self.s.steps) - number)
            with clock.frozen(self.at):
                getattr(self, f"step_{step}")()
                self.comment_after(step)
        self.complaint.refresh_from_db()
        if self.complaint.status == "verification":
            # One clean lot has come in since implementation; the rest arrive by import.
            with clock.frozen(self.at):
                self.deliver_clean(1)
            self.complaint.refresh_from_db()
        return self.complaint

    def advance(self, hours: float | None, steps_left: int) -> None:
        """Move the scenario's clock on by a plausible delay, never past the present."""
        if hours is None:
            hours = self.loader.rng.choice(STEP_DELAYS_HOURS)
        room = (self.loader.now - self.at) / (steps_left + 1)
        self.at += min(timedelta(hours=hours), room)

    def received_at(self):
        if self.s.received_local:
            return timezone.make_aware(datetime.fromisoformat(self.s.received_local))
        # During office hours, local time; today's are a few hours ago.
        if self.s.days_ago == 0:
            return self.loader.now - timedelta(hours=2, minutes=self.loader.rng.randint(0, 50))
        local = timezone.localtime(self.loader.now) - timedelta(days=self.s.days_ago)
        return local.replace(
            hour=self.loader.rng.randint(8, 17),
            minute=self.loader.rng.randint(0, 59),
            second=0,
            microsecond=0,
        )

    def record(self) -> None:
        s = self.s
        customer = self.loader.customers[s.customer]
        product = self.loader.products[s.product]
        received_at = self.at
        lot = (
            Lot.objects.filter(customer=customer, product=product, ship_date__lt=received_at.date())
            .order_by("-ship_date")
            .first()
        )
        contact = next(c for c in data.CUSTOMERS if c.code == s.customer)
        self.complaint = complaint_create(
            actor=self.users[s.recorder],
            data={
                "kind": s.kind,
                "category": s.category,
                "severity": s.severity,
                "is_repeat": s.is_repeat,
                "channel": s.channel,
                "received_at": received_at,
                "customer": customer.pk,
                "contact_name": contact.contact,
                "contact_phone": contact.phone,
                # No e-mail address on demo complaints: every milestone would queue a mail to
                # a made-up address for the worker to send.
                "contact_email": "",
                "order_number": s.order_number,
                "products": [product.pk],
                "lots": [lot.pk] if lot and s.kind == data.C else [],
                "quantity_affected": s.quantity,
                "defect_code": self.loader.defects[s.defect].pk if s.defect else None,
                "title": s.title,
                "description": s.description,
                "remedies": list(s.remedies),
            },
        )

    def comment_after(self, step: str) -> None:
        for after, username, text, visibility in self.s.comments:
            if after == step:
                complaint_comment(
                    actor=self.user(username),
                    complaint=self.fresh(),
                    text=text,
                    visibility=Visibility(visibility),
                )

    # --- Helpers ------------------------------------------------------------------------------

    def fresh(self) -> Complaint:
        self.complaint = Complaint.objects.select_related("responsible_department").get(
            pk=self.complaint.pk
        )
        return self.complaint

    def take(self, actor: User, action: str, **inputs) -> None:
        complaint = self.fresh()
        self.complaint = complaint_transition(
            actor=actor, complaint=complaint, action=action, version=complaint.version, data=inputs
        )

    def write_8d(self, actor: User, **disciplines) -> None:
        complaint = self.fresh()
        for code, content in disciplines.items():
            version = Discipline.objects.get(report__complaint=complaint, code=code).version
            discipline_update(
                actor=actor, complaint=complaint, code=code, version=version, content=content
            )

    def approve_8d(self, *codes: str) -> None:
        """The department manager signs the disciplines off with the demo password."""
        for code in codes:
            discipline_sign(
                actor=self.manager, complaint=self.fresh(), code=code,
                password=self.loader.password, meaning="approved",
            )

    @property
    def today(self):
        return timezone.localtime(self.at).date()

    @property
    def department_code(self) -> str:
        return self.fresh().responsible_department.code

    @property
    def manager(self) -> User:
        return self.fresh().responsible_department.manager

    @property
    def handler(self) -> User:
        complaint = self.fresh()
        return complaint.handler or complaint.responsible_department.manager

    def tracker_or_agent(self) -> User:
        return self.fresh().tracker or self.users["agent"]

    # --- Complaint path -----------------------------------------------------------------------

    def step_assess(self) -> None:
        complaint = self.fresh()
        department = complaint.responsible_department
        tracker = complaint.tracker
        if complaint.category == "quality" and tracker is None:
            tracker = self.users["qe"]
        handler = complaint.handler
        if handler is not None and handler.department_id != department.pk:
            handler = None
        team = [u for u in (handler, tracker, self.users["agent"]) if u is not None]
        # Seed 000: Quality assesses quality complaints itself and tracks them to the end.
        actor = self.users["qe"] if complaint.category == "quality" else self.users["agent"]
        self.take(
            actor,
            "assess_valid",
            note=f"经核实客诉成立，责任部门：{department.name}，成立改善小组。",
            responsible_department=department.pk,
            handler=handler.pk if handler else None,
            tracker=tracker.pk if tracker else None,
            team=[u.pk for u in team],
        )

    def step_dispatch(self) -> None:
        # No due time given: the acceptance step's time limit sets it.
        self.take(
            self.tracker_or_agent(),
            "dispatch",
            note="请于规定时限内回复原因分析、临时围堵措施及改善计划。",
        )

    def step_send_back(self) -> None:
        self.take(self.manager, "return_dispatch", note=self.s.notes["send_back"])

    def step_accept(self) -> None:
        handler = self.users[data.DEPARTMENT_HANDLERS[self.department_code]]
        if self.fresh().category == "return":
            handler = self.users["sales"]  # seed 003: the order follower runs returns
        self.take(self.manager, "accept_dispatch", note="已接收，安排处理。", handler=handler.pk)
        # Containment comes first (D3 within 24 h): the problem is described and stock sorted.
        complaint = self.fresh()
        contact = next(c for c in data.CUSTOMERS if c.code == self.s.customer)
        lot = complaint.lots.first()
        self.write_8d(
            handler,
            d2=demo_8d.problem(self.s, self.today, contact.contact, lot.number if lot else ""),
            # Its own generator, so that the 8D leaves the history's random delays as they were.
            d3=demo_8d.containment(self.s, self.today, random.Random(self.s.key)),
        )
        self.approve_8d("d3")

    def step_plan(self) -> None:
        s = self.s
        handler = self.handler
        revised = self.plans > 0 and s.revised_cause
        cause = s.revised_cause if revised else s.cause
        action = s.revised_action if revised else s.action
        self.write_8d(
            handler,
            d4=demo_8d.causes(s, cause),
            d5=demo_8d.actions(action, self.today, str(handler)),
        )
        # A revised plan is signed again: the first approvals now show as no longer valid.
        self.approve_8d(*(("d4", "d5") if self.plans else ("d1", "d2", "d4", "d5")))
        self.plans += 1
        self.take(handler, "submit_plan", note=f"改善方案：{action}")

    def step_confirm(self) -> None:
        if self.s.portal:
            self.take(
                self.user("customer"), "customer_accept", note="同意该改善方案，请按计划实施。"
            )
        else:
            self.take(
                self.users["agent"], "customer_accept", note="已电话与客户确认，客户同意方案。"
            )

    def step_reject(self) -> None:
        actor = self.user("customer") if self.s.portal else self.users["agent"]
        self.take(actor, "customer_reject", note=self.s.notes["reject"])

    def step_implement(self) -> None:
        handler = self.handler
        plan = Discipline.objects.get(report__complaint=self.fresh(), code="d5").content
        self.write_8d(handler, d6=demo_8d.implementation(plan, self.today))
        self.approve_8d("d6")
        self.take(handler, "submit_implementation", note="改善措施已全部实施，进入效果验证。")

    def step_close(self) -> None:
        complaint = self.fresh()
        line = complaint.products.first().product_line
        self.write_8d(
            self.handler,
            d7=demo_8d.prevention(self.s, str(line or ""), self.today),
            d8=demo_8d.closure(self.s, self.today),
        )
        self.approve_8d("d7", "d8")
        # Seed 000: closed only after the next lots delivered to the customer came through
        # clean, and the outcome confirmed by someone other than the handler.
        required = self.deliver_clean()
        verification_propose_outcome(
            actor=self.handler, complaint=self.fresh(), outcome="effective",
            note=f"对策后交付的{required}个批次客户来料检验均合格，未再发现同类不良。",
        )
        verification_confirm_outcome(
            actor=self.users["owner"], complaint=self.fresh(),
            version=current_round(self.fresh()).version, password=self.loader.password,
        )
        self.take(
            self.tracker_or_agent(),
            "close",
            note=f"效果确认：对策后交付该客户的{required}个批次均未再发现同类不良。",
            customer_feedback="客户确认改善有效，同意结案。",
        )

    def deliver_clean(self, wanted: int | None = None) -> int:
        """Lots of the complaint's product delivered to its customer since implementation, each
        passed by the customer's incoming inspection, until `wanted` (default: all the round
        needs) are clean. Lots the ERP already delivered in that time get their result first."""
        complaint = self.fresh()
        view = round_read(complaint)
        wanted = view.required if wanted is None else wanted
        product = complaint.products.first()
        inspector = complaint.tracker or self.users["qe"]
        for number in range(wanted + LOOKAHEAD):
            pending = [row.lot for row in view.rows if row.pending]
            if not pending and view.clean >= wanted:
                break
            if pending:
                lot = pending[0]
            else:
                delivered = min(
                    view.round.implemented_on + timedelta(days=number), self.today
                )
                lot = Lot.objects.create(
                    number=f"L{delivered:%y%m%d}-V{complaint.pk:03d}{number}",
                    product=product, customer=complaint.customer,
                    quantity=self.loader.rng.choice([1000, 2000, 3000]),
                    ship_date=delivered - timedelta(days=1), delivery_date=delivered,
                )
            inspection_record(
                actor=inspector, lot=lot, side="customer", result="ok", defect_code=None,
                quantity_checked=min(lot.quantity, 200), quantity_bad=0,
                inspected_on=min(lot.delivery_date or self.today, self.today),
                note="来料检验合格",
            )
            view = round_read(complaint)
        return wanted

    def step_recurrence(self) -> None:
        self.take(self.users["qe"], "report_recurrence", note=self.s.notes["recurrence"])

    def step_reopen(self) -> None:
        self.take(self.users["agent"], "reopen", note=self.s.notes["reopen"])

    def step_invalid(self) -> None:
        actor = self.users["qe"] if self.s.category == "quality" else self.users["agent"]
        self.take(actor, "assess_invalid", note=self.s.notes["invalid"])

    def step_cancel(self) -> None:
        note = self.s.notes["cancel"]
        if self.s.duplicate_of:
            original = self.loader.complaints[self.s.duplicate_of]
            note = note.format(duplicate=original.number)
            reason = CancelReason.DUPLICATE
        else:
            reason = self.s.notes.get("cancel_reason", CancelReason.WITHDRAWN)
        self.take(self.users["agent"], "cancel", note=note, cancel_reason=reason)

    # --- Feedback path ------------------------------------------------------------------------

    def step_reply(self) -> None:
        actor = self.users["sales"] if self.s.recorder == "sales" else self.users["agent"]
        department = self.fresh().responsible_department
        self.take(
            actor,
            "reply",
            note=self.s.notes["reply"],
            responsible_department=department.pk if department else None,
        )

    def step_follow_up(self) -> None:
        self.take(self.manager, "record_follow_up", note=self.s.notes["follow_up"])

    def step_close_feedback(self) -> None:
        self.take(
            self.users["agent"],
            "close",
            note="感谢您的反馈，此事已处理完毕。",
            customer_feedback="客户表示满意。",
        )
