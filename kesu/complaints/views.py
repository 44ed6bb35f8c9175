"""Complaint pages (SPEC §14).

Each view parses the request, fetches through the access-checked getter or a selector, calls one
service and renders. Business rules stay in services; a KesuError becomes a message on the page
(NotFound a 404), and field errors are shown on the form the user filled in.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints import downloads, lifecycle, selectors, services
from kesu.complaints.access import (
    allowed_transitions,
    can_comment,
    can_edit,
    can_record,
    complaint_or_404,
)
from kesu.complaints.choices import (
    SEVERITY_CRITERIA,
    Category,
    Channel,
    Kind,
    Severity,
    Status,
    Visibility,
)
from kesu.complaints.inputs import MAX_NOTE, ComplaintInput, TransitionInput
from kesu.core import clock, memo, pickers
from kesu.core.errors import KesuError, NotAllowed, StaleVersion, ValidationFailed
from kesu.core.forms import DayField, present, show_errors
from kesu.core.http import posted_version
from kesu.core.paging import LedgerPaginator
from kesu.core.pickers import PickMany, PickOne
from kesu.masterdata.models import Customer, Product
from kesu.org.models import Department, Role

PAGE_SIZE = 25


# --- Forms that only present inputs (the services validate) -----------------------------------


class RecordForm(ComplaintInput):
    """The complaint record as a page shows it: remedies as check boxes, long text in areas,
    master data in searchable pickers (lots narrowed to the customer's and the products')."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        present(self, checkboxes=("remedies",), textareas=("remedy_detail",))
        pickers.use(
            self,
            customer=PickOne("masterdata:pick_customers"),
            contact_name=PickOne(
                "masterdata:pick_contacts",
                depends={"customer": "customer"},
                create=True,
                fill={"contact_phone": "phone", "contact_email": "email"},
                only=True,
            ),
            products=PickMany("masterdata:pick_products"),
            lots=PickMany(
                "masterdata:pick_lots",
                depends={"customer": "customer", "products": "products"},
                empty=gettext_lazy("No lot of this customer and these products matches"),
            ),
        )


class ActionForm(TransitionInput):
    """A step's inputs as a page shows them. People are found by name: a handler among the
    responsible department's people (the workflow accepts no other), the team with that
    department's people first, the tracker among the quality engineers."""

    def __init__(self, *args, transition, complaint, **kwargs):
        super().__init__(*args, transition=transition, **kwargs)
        present(self, textareas=("note", "customer_feedback"))
        if "responsible_department" in self.fields:
            # The department chosen in this form decides, as it does for the workflow's check.
            department, fixed = {"responsible_department": "department"}, {}
        else:
            department, fixed = {}, {"department": complaint.responsible_department_id or ""}
        pickers.use(
            self,
            handler=PickOne(
                "org:pick_people", depends=department, params={**fixed, "strict": 1},
                empty=gettext_lazy("Nobody of the responsible department matches"),
            ),
            tracker=PickOne("org:pick_people", params={"role": Role.QE}),
            team=PickMany("org:pick_people", depends=department, params=fixed),
        )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who sees it"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.CUSTOMER:
            # The customer's own messages always reach customer service and themselves.
            del self.fields["visibility"]


class FilterForm(forms.Form):
    """The list's filters; every field optional, invalid ones are shown and ignored."""

    text = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Status"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", "—"), *Kind.choices], required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=[("", "—"), *Category.choices], required=False
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"), queryset=Customer.objects.all(), required=False
    )
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"), queryset=Product.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Responsible department"),
        queryset=Department.objects.all(),
        required=False,
    )
    received_from = DayField(label=gettext_lazy("Received from"), required=False)
    received_to = DayField(label=gettext_lazy("Received until"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.CUSTOMER:
            # Names of other customers and of internal departments are not for a customer's eyes.
            self.fields["customer"].queryset = Customer.objects.filter(pk=user.customer_id)
            del self.fields["department"]
        present(self, checkboxes=("status",))
        if not user.is_customer:
            pickers.use(
                self,
                customer=PickOne("masterdata:pick_customers"),
                product=PickOne("masterdata:pick_products", params={"retired": 1}),
            )

    def to_filter(self, extra=()) -> selectors.ComplaintFilter:
        self.is_valid()
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return selectors.ComplaintFilter(
            status=data.get("status") or None,
            kind=data.get("kind") or None,
            category=data.get("category") or None,
            severity=data.get("severity") or None,
            customer=pk("customer"),
            product=pk("product"),
            department=pk("department"),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=data.get("text") or None,
            extra=tuple(f.q for f in extra),
        )


# --- Helpers ----------------------------------------------------------------------------------


def _fragment_requested(request, target: str) -> bool:
    """An htmx request that swaps only `target`; history restores want the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Target") == target
    )


def _detail_url(complaint, anchor: str = "") -> str:
    url = reverse("complaint_detail", args=[complaint.number])
    return f"{url}#{anchor}" if anchor else url


def _record_initial(complaint) -> dict:
    """The record's current values as the edit form's initial data."""
    initial = services.record_values(complaint)
    # Minutes are what the browser's date-time input shows and sends back; seconds would make
    # an untouched field count as changed.
    initial["received_at"] = timezone.localtime(complaint.received_at).replace(
        second=0, microsecond=0
    )
    return initial


def _split_errors(rest: dict) -> tuple[list[str], list[str]]:
    """File errors (shown at the file input) and all errors that belong to no field."""
    return rest.get("files", []), [message for messages_ in rest.values() for message in messages_]


def _record_context() -> dict:
    return {
        "severity_criteria": [(Severity(k).label, text) for k, text in SEVERITY_CRITERIA.items()],
        "max_upload": settings.KESU_MAX_UPLOAD_BYTES,
    }


# --- Pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def my_work_view(request):
    page = LedgerPaginator(selectors.my_work(request.user), PAGE_SIZE, work=True).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "now": clock.now()}
    context["sections"] = lifecycle.work_sections(request, context)
    return render(request, "complaints/my_work.html", context)


@login_required
@require_GET
def complaint_list_view(request):
    form = FilterForm(request.GET, user=request.user)
    status, filter_errors = 200, []
    try:
        # The participants' filters: the on-time report's numbers link here.
        extra = lifecycle.list_filters(request.GET)
    except ValidationFailed as exc:
        status, filter_errors, extra = 400, [exc.message], []
    complaints = selectors.complaint_list(request.user, form.to_filter(extra))
    page = LedgerPaginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "now": clock.now(), "extra_filters": extra,
        "filter_errors": filter_errors,
    }
    if _fragment_requested(request, "results"):
        response = render(request, "complaints/_list_results.html", context, status=status)
    else:
        response = render(request, "complaints/list.html", context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    if not can_record(request.user):
        raise PermissionDenied
    context = {"file_errors": [], "other_errors": [], **_record_context()}
    status = 200
    if request.method == "POST":
        try:
            complaint = services.complaint_create(
                actor=request.user, data=request.POST, files=request.FILES.getlist("files")
            )
        except ValidationFailed as exc:
            form = RecordForm(request.POST)
            context["file_errors"], context["other_errors"] = _split_errors(show_errors(form, exc))
            # Browsers never re-send a chosen file, so say so rather than lose it silently.
            context["files_dropped"] = bool(request.FILES)
            status = 422
        else:
            messages.success(
                request,
                _("Complaint %(number)s recorded. The customer is told this number.")
                % {"number": complaint.number},
            )
            return redirect(_detail_url(complaint))
    else:
        form = RecordForm(
            initial={
                "kind": Kind.COMPLAINT,
                "severity": Severity.GENERAL,
                "channel": Channel.HOTLINE,
            }
        )
    context["form"] = form
    return render(request, "complaints/new.html", context, status=status)


def _people_only(request) -> bool:
    """The timeline's filter "people only": leave out what Kesu raised on its own."""
    return request.GET.get("people") == "1"


def _render_detail(request, complaint, *, status=200, page=None, **overrides):
    # The next step's gates and the cards read the same things (the 8D): once per page.
    with memo.page_reads():
        return _draw_detail(request, complaint, status=status, page=page, **overrides)


def _draw_detail(request, complaint, *, status, page, **overrides):
    user = request.user
    now = clock.now()
    people_only = _people_only(request)
    context = {
        "complaint": complaint,
        "products": complaint.products.all(),
        "lots": complaint.lots.all(),
        "team": complaint.team.all(),
        "page": page
        or selectors.timeline_page(user, complaint, people_only=people_only, whole_runs=True),
        "people_only": people_only,
        # The customer's unanswered words and the next step, at the top (issue 11 §1–§3).
        "voice": selectors.customer_voice(user, complaint),
        "next": selectors.next_step(user, complaint),
        # All of them, not only the page's: the card lists every file.
        "attachments": selectors.timeline_attachments(user, complaint),
        "can_edit": can_edit(user, complaint),
        "can_comment": can_comment(user, complaint),
        "message_form": MessageForm(user=user),
        "message_file_errors": [],
        "now": now,
        "can_request_info": services.can_request_info(user, complaint),
    }
    context.update(overrides)
    # The cards of the apps taking part in the complaint's life (time limits, 8D…).
    context["panels"] = lifecycle.panels(request, complaint, context)
    return render(request, "complaints/detail.html", context, status=status)


@login_required
@require_GET
def complaint_detail(request, number):
    """The complaint page with the latest events; `?before=<event id>` pages back, as an htmx
    fragment for "show earlier" or as the whole page without JavaScript."""
    complaint = complaint_or_404(request, number)
    people_only = _people_only(request)
    try:
        page = selectors.timeline_page(
            request.user,
            complaint,
            before=selectors.parse_cursor(request.GET.get("before")),
            people_only=people_only,
            whole_runs=True,
        )
    except ValidationFailed as exc:
        return HttpResponseBadRequest(exc.message)
    if _fragment_requested(request, "timeline-earlier"):
        context = {
            "complaint": complaint, "page": page, "fragment": True, "people_only": people_only
        }
        response = render(request, "complaints/_timeline_items.html", context)
    else:
        response = _render_detail(request, complaint, page=page)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def complaint_event_note(request, number, event_id):
    """The whole of a long message the timeline shows the start of."""
    complaint = complaint_or_404(request, number)
    event = selectors.timeline_event(request.user, complaint, event_id)
    if event is None:
        raise Http404
    return render(request, "complaints/_note.html", {"event": event})


@login_required
@require_POST
def complaint_info(request, number):
    """Ask the customer for information (clocks stop), or record their answer (clocks run)."""
    complaint = complaint_or_404(request, number)
    answered = request.POST.get("answer") == "1"
    service = services.complaint_info_received if answered else services.complaint_request_info
    try:
        service(
            actor=request.user,
            complaint=complaint,
            version=posted_version(request),
            note=request.POST.get("note", ""),
        )
    except KesuError as exc:
        messages.error(request, exc.message)
        for errors in exc.field_errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(
            request,
            _("The clocks run again.")
            if answered
            else _("The question was sent to the customer; the clocks are stopped."),
        )
    return redirect(_detail_url(complaint, "time-limits"))


@login_required
@require_POST
def complaint_message(request, number):
    complaint = complaint_or_404(request, number)
    try:
        services.complaint_comment(
            actor=request.user,
            complaint=complaint,
            text=request.POST.get("text", ""),
            visibility=request.POST.get("visibility", Visibility.INTERNAL),
            files=request.FILES.getlist("files"),
        )
    except ValidationFailed as exc:
        form = MessageForm(request.POST, user=request.user)
        _files, other = _split_errors(show_errors(form, exc))
        return _render_detail(
            request, complaint, message_form=form, message_file_errors=other, status=422
        )
    except KesuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Message added."))
    # Back to the top, where the message box, the customer's words and the next step are.
    return redirect(_detail_url(complaint))


@login_required
@require_http_methods(["GET", "POST"])
def complaint_edit(request, number):
    complaint = complaint_or_404(request, number)
    if not can_edit(request.user, complaint):
        messages.error(request, NotAllowed.default_message)
        return redirect(_detail_url(complaint))
    initial = _record_initial(complaint)
    status = 200
    version = complaint.version
    context = {"complaint": complaint, "other_errors": [], **_record_context()}
    if request.method == "POST":
        form = RecordForm(request.POST, initial=initial)
        version = posted_version(request)
        # The service takes only the fields to change, in the raw form the widgets read.
        changed = {
            name: form.fields[name].widget.value_from_datadict(
                request.POST, request.FILES, form.add_prefix(name)
            )
            for name in form.changed_data
        }
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect(_detail_url(complaint))
        try:
            services.complaint_update(
                actor=request.user, complaint=complaint, version=version, data=changed
            )
        except ValidationFailed as exc:
            _files, context["other_errors"] = _split_errors(show_errors(form, exc))
            status = 422
        except StaleVersion as exc:
            messages.error(request, exc.message)
            status = 409
        except KesuError as exc:
            messages.error(request, exc.message)
            return redirect(_detail_url(complaint))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(complaint))
    else:
        form = RecordForm(initial=initial)
    context.update(form=form, version=version)
    return render(request, "complaints/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_action(request, number, action):
    complaint = complaint_or_404(request, number)
    transition = next(
        (t for t in allowed_transitions(request.user, complaint) if t.action == action), None
    )
    context = {"complaint": complaint, "transition": transition, "other_errors": []}
    if request.method == "GET":
        if transition is None:
            messages.error(request, _("This step is not open to you on this complaint now."))
            return redirect(_detail_url(complaint))
        form = ActionForm(
            transition=transition,
            complaint=complaint,
            initial=services.suggested_inputs(complaint, transition),
        )
        # Reached by its address while a gate fails: say what is missing before anyone types.
        context.update(
            form=form, version=complaint.version, problems=transition.problems(complaint)
        )
        return render(request, "complaints/action.html", context)

    version = posted_version(request)
    try:
        complaint = services.complaint_transition(
            actor=request.user,
            complaint=complaint,
            action=action,
            version=version,
            data=request.POST,
        )
    except ValidationFailed as exc:
        if transition is None:  # pragma: no cover - the service refuses earlier
            messages.error(request, exc.message)
            return redirect(_detail_url(complaint))
        form = ActionForm(request.POST, transition=transition, complaint=complaint)
        _files, context["other_errors"] = _split_errors(show_errors(form, exc))
        context.update(form=form, version=version)
        return render(request, "complaints/action.html", context, status=422)
    except KesuError as exc:
        if transition is None:
            messages.error(request, exc.message)
            return redirect(_detail_url(complaint))
        # A refusal never loses what was typed: the form again, with the reason and, for a
        # gate, each missing item linked to where it is put right.
        form = ActionForm(request.POST, transition=transition, complaint=complaint)
        problems = getattr(exc, "problems", None)
        if isinstance(exc, StaleVersion):
            # Sending again now is a deliberate step on the complaint as it is now.
            complaint = complaint_or_404(request, number)
            version = complaint.version
        context.update(
            form=form,
            version=version,
            other_errors=[] if problems else [exc.message],
            refused=exc.message if problems else "",
            problems=problems or [],
        )
        return render(request, "complaints/action.html", context, status=exc.http_status)
    else:
        messages.success(
            request,
            _("%(step)s: done. The complaint is now “%(status)s”.")
            % {
                "step": transition.label if transition else action,
                "status": complaint.get_status_display(),
            },
        )
    return redirect(_detail_url(complaint))


@login_required
@require_GET
def attachment_download(request, number, attachment_id):
    """Files leave only through `kesu.complaints.downloads`, never a public /media/ URL."""
    complaint = complaint_or_404(request, number)
    return downloads.attachment_download(request.user, complaint, attachment_id)
