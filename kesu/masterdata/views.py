"""Upload and download of master data spreadsheets for administrators (SPEC §2)."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kesu.masterdata.columns import SHEETS, get_sheet
from kesu.masterdata.exporting import export_download
from kesu.masterdata.importing import MAX_FILE_BYTES, MAX_ROWS, header_names, import_rows


def _may(user, sheet, *actions) -> bool:
    opts = sheet.model._meta
    return all(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in actions)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, sheet.label)
            for kind, sheet in SHEETS.items()
            if _may(user, sheet, "add", "change")
        ]


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["kind"].choices:
        raise PermissionDenied
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_rows(
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
    sheets = [
        {
            "kind": kind,
            "label": sheet.label,
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
            "report": report,
            "sheets": sheets,
            "max_rows": MAX_ROWS,
            "max_bytes": MAX_FILE_BYTES,
        },
        status=422 if report is not None and not report.ok else 200,
    )


@staff_member_required
@require_GET
def export_view(request, kind):
    sheet = get_sheet(kind)
    if sheet is None or sheet.kind != kind:
        raise Http404
    if not _may(request.user, sheet, "view"):
        raise PermissionDenied
    return export_download(kind)
