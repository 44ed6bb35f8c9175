"""The 8D workspace of a complaint (SPEC §7, §13): every discipline with its state, due date,
owner, signatures and evidence; the handling team edits, signs and files evidence here.

Customers never see this page (they read the customer-visible 8D in the portal): a customer
contact gets the same 404 as for a complaint that does not exist. Each POST saves, signs or
uploads for one discipline through one service; on a refusal the page is shown again with the
user's input kept and the reason next to it.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints.access import complaint_or_404
from kesu.complaints.selectors import customer_voice, next_step
from kesu.core import clock, memo
from kesu.core.errors import KesuError, StaleVersion, ValidationFailed
from kesu.eightd.content import CODES
from kesu.eightd.evidence import evidence_attach_all, evidence_by_code
from kesu.eightd.forms import DisciplineEditor, SignForm
from kesu.eightd.labels import FORMS
from kesu.eightd.models import DISCIPLINES
from kesu.eightd.selectors import DisciplineView, report_view
from kesu.eightd.services import (
    can_edit_eightd,
    discipline_sign,
    discipline_update,
    signing_meanings,
)
from kesu.eightd.templatetags.eightd_ui import clocks_of
from kesu.org.models import User
from kesu.org.selectors import staff_users


def _code(code: str) -> str:
    if code not in CODES:
        raise Http404
    return code


def _page_url(complaint, code: str = "") -> str:
    url = reverse("eightd_page", args=[complaint.number])
    return f"{url}#{code}" if code else url


def _staff() -> list[User]:
    """Whom a discipline may be given to (the service checks it again)."""
    return list(
        staff_users()
        .select_related("department")
        .order_by("department__name", "display_name", "username")
    )


def _staff_choices(staff) -> list[tuple[str, str]]:
    return [
        (str(user.pk), f"{user} · {user.department}" if user.department_id else str(user))
        for user in staff
    ]


@dataclass
class Card:
    """One discipline on the page, with whatever forms the user may use on it."""

    view: DisciplineView
    clock: object
    evidence: list
    editor: DisciplineEditor | None = None
    sign_form: SignForm | None = None
    evidence_errors: list[str] = field(default_factory=list)
    # A refused save or signing opens its form, so the user sees their input and the reason.
    open_editor: bool = False


def _render(request, complaint, *, bound=None, status=200):
    """The page; `bound` is {code: {"editor"/"sign_form"/"evidence_errors": …}} for the
    discipline the user just posted, so their input and the errors are shown again."""
    # The next step's gates read the same report as the page: once (kesu.core.memo).
    with memo.page_reads():
        return _draw(request, complaint, bound=bound or {}, status=status)


def _draw(request, complaint, *, bound, status):
    user = request.user
    view = report_view(complaint)
    now = clock.now()
    may_edit = can_edit_eightd(user, complaint)
    meanings = signing_meanings(user, complaint)
    staff = _staff_choices(_staff()) if may_edit else ()
    evidence = evidence_by_code(complaint)
    clocks = clocks_of(view.disciplines, now)
    cards = []
    for discipline in view.disciplines:
        posted = bound.get(discipline.code, {})
        card = Card(
            view=discipline,
            clock=clocks.get(discipline.code),
            evidence=evidence.get(discipline.code, []),
            evidence_errors=posted.get("evidence_errors", []),
        )
        if may_edit:
            card.editor = posted.get("editor") or DisciplineEditor(
                discipline.discipline, staff=staff
            )
            card.open_editor = "editor" in posted
        if meanings:
            card.sign_form = posted.get("sign_form") or SignForm(
                prefix=f"{discipline.code}-sign", meanings=meanings
            )
        cards.append(card)
    context = {
        "complaint": complaint,
        "report": view,
        "form_label": FORMS.get(view.form, view.form),
        "cards": cards,
        "may_edit": may_edit,
        "may_sign": bool(meanings),
        "now": now,
        # On top, as on the complaint page: what the customer said that is not answered, and
        # what the next step lacks (issue 11 §2, §3).
        "voice": customer_voice(user, complaint),
        "next": next_step(user, complaint),
    }
    fragment = request.headers.get("HX-Request") == "true" and len(bound) == 1
    if fragment and request.headers.get("HX-Target") in bound:
        # htmx asked for one discipline's card only ("add rows").
        context["card"] = next(c for c in cards if c.view.code in bound)
        response = render(request, "eightd/_card.html", context, status=status)
    else:
        response = render(request, "eightd/page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def eightd_page(request, number):
    return _render(request, complaint_or_404(request, number, staff_only=True))


@login_required
@require_POST
def eightd_save(request, number, code):
    complaint = complaint_or_404(request, number, staff_only=True)
    code = _code(code)
    if not can_edit_eightd(request.user, complaint):
        messages.error(request, _("You may read this 8D but not edit it now."))
        return redirect(_page_url(complaint, code))
    discipline = report_view(complaint)[code].discipline
    staff = _staff()
    editor = DisciplineEditor(
        discipline,
        staff=_staff_choices(staff),
        data=request.POST,
        more_rows="add_rows" in request.POST,
    )
    if "add_rows" in request.POST:
        return _render(request, complaint, bound={code: {"editor": editor}})
    if not editor.is_valid():
        messages.error(request, _("%(discipline)s was not saved: please correct what is marked.")
                       % {"discipline": DISCIPLINES[code]})
        return _render(request, complaint, bound={code: {"editor": editor}}, status=422)
    owner_pk = editor.form.cleaned_data["owner"]
    changes = {
        "content": editor.document(),
        "internal_note": editor.form.cleaned_data["internal_note"],
    }
    if owner_pk != str(discipline.owner_id or ""):
        changes["owner"] = next((u for u in staff if str(u.pk) == owner_pk), None)
    try:
        saved = discipline_update(
            actor=request.user,
            complaint=complaint,
            code=code,
            version=editor.version,
            **changes,
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Someone else saved %(discipline)s after you opened it; nothing of yours was "
                "saved. Their version is shown; your input is kept in the form below. Compare, "
                "then save again if yours should replace theirs."
            )
            % {"discipline": DISCIPLINES[code]},
        )
        # Saving again is now a deliberate overwrite of the version the user has seen.
        data = request.POST.copy()
        data[f"{code}-version"] = str(
            report_view(complaint)[code].discipline.version
        )
        editor = DisciplineEditor(discipline, staff=_staff_choices(staff), data=data)
        editor.is_valid()
        return _render(request, complaint, bound={code: {"editor": editor}}, status=409)
    except ValidationFailed as exc:
        editor.show_service_errors(exc.field_errors)
        messages.error(request, exc.message)
        return _render(request, complaint, bound={code: {"editor": editor}}, status=422)
    except KesuError as exc:
        messages.error(request, exc.message)
        return redirect(_page_url(complaint, code))
    if saved.version == editor.version:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("%(discipline)s saved.") % {"discipline": DISCIPLINES[code]})
    return redirect(_page_url(complaint, code))


@login_required
@require_POST
def eightd_sign(request, number, code):
    complaint = complaint_or_404(request, number, staff_only=True)
    code = _code(code)
    meanings = signing_meanings(request.user, complaint)
    form = SignForm(request.POST, prefix=f"{code}-sign", meanings=meanings)
    form.is_valid()
    try:
        discipline_sign(
            actor=request.user,
            complaint=complaint,
            code=code,
            password=form.cleaned_data.get("password") or "",
            meaning=request.POST.get(form.add_prefix("meaning"), ""),
        )
    except ValidationFailed as exc:
        for key, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(key if key in form.fields else None, str(error))
        if not exc.field_errors:
            form.add_error(None, str(exc.message))
        messages.error(request, _("Nothing was signed."))
        return _render(request, complaint, bound={code: {"sign_form": form}}, status=422)
    except StaleVersion:
        messages.error(
            request,
            _("%(discipline)s changed while you were signing; read it again, then sign.")
            % {"discipline": DISCIPLINES[code]},
        )
        return redirect(_page_url(complaint, code))
    except KesuError as exc:
        messages.error(request, exc.message)
        return redirect(_page_url(complaint, code))
    messages.success(request, _("%(discipline)s signed.") % {"discipline": DISCIPLINES[code]})
    return redirect(_page_url(complaint, code))


@login_required
@require_POST
def eightd_evidence(request, number, code):
    complaint = complaint_or_404(request, number, staff_only=True)
    code = _code(code)
    try:
        added = evidence_attach_all(
            actor=request.user,
            complaint=complaint,
            code=code,
            uploads=request.FILES.getlist(f"{code}-files"),
        )
    except ValidationFailed as exc:
        errors = [str(m) for ms in exc.field_errors.values() for m in ms] or [str(exc.message)]
        messages.error(request, _("Nothing was uploaded."))
        return _render(
            request, complaint, bound={code: {"evidence_errors": errors}}, status=422
        )
    except KesuError as exc:
        messages.error(request, exc.message)
        return redirect(_page_url(complaint, code))
    messages.success(
        request,
        ngettext(
            "%(count)d file added to %(discipline)s.",
            "%(count)d files added to %(discipline)s.",
            len(added),
        )
        % {"count": len(added), "discipline": DISCIPLINES[code]},
    )
    return redirect(_page_url(complaint, code))
