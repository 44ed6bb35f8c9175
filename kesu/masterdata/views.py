"""Upload and download of master data spreadsheets for administrators (SPEC §2)."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kesu.core.errors import KesuError, NotFound
from kesu.masterdata.columns import SHEETS, get_sheet
from kesu.masterdata.exporting import export_download
from kesu.masterdata.importing import MAX_FILE_BYTES, MAX_ROWS, header_names
from kesu.masterdata.imports import (
    import_job_get,
    import_kinds,
    import_request,
    imports_recent,
)


def _may(user, sheet, *actions) -> bool:
    opts = sheet.model._meta
    return all(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in actions)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = import_kinds(user)


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """The upload form; a valid upload becomes a job made in the worker, and the answer is its
    page at once."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["kind"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            job = import_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except KesuError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
        else:
            return redirect("masterdata:import_job", job_id=job.pk)
    sheets = [
        {
            "kind": kind,
            "label": sheet.label,
            "max_rows": sheet.max_rows or MAX_ROWS,
            "key": [str(c.label) for c in sheet.columns if c.field in sheet.key_fields],
            "columns": [
                {
                    "label": column.label,
                    "required": column.required,
                    "also": sorted(header_names(column) - {str(column.label).lower()}),
                }
                for column in sheet.columns
            ],
        }
        for kind, sheet in SHEETS.items()
        if _may(request.user, sheet, "view")
    ]
    return render(
        request,
        "masterdata/import.html",
        {
            "form": form,
            "sheets": sheets,
            "recent": imports_recent(request.user),
            "max_bytes": MAX_FILE_BYTES,
        },
        status=422 if form.errors else 200,
    )


def _job_or_404(request, job_id):
    try:
        return import_job_get(request.user, job_id)
    except NotFound as exc:
        raise Http404 from exc


@staff_member_required
@require_GET
def import_job_view(request, job_id):
    """One import: its progress while the worker makes it, then what it did."""
    job = _job_or_404(request, job_id)
    return render(request, "masterdata/import_job.html", {"job": job})


@staff_member_required
@require_GET
def import_job_status(request, job_id):
    """The job's card alone, which htmx polls while the job is queued or running."""
    job = _job_or_404(request, job_id)
    return render(request, "masterdata/_import_job.html", {"job": job})


@staff_member_required
@require_GET
def export_view(request, kind):
    sheet = get_sheet(kind)
    if sheet is None or sheet.kind != kind:
        raise Http404
    if not _may(request.user, sheet, "view"):
        raise PermissionDenied
    return export_download(kind)
