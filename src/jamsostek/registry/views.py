"""Registry pages: download the import templates, upload a file, read its report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.errors import DomainError
from jamsostek.registry.selectors import IMPORT_KINDS, import_columns, import_template
from jamsostek.registry.services import import_file

KINDS = [("persons", _("Persons")), ("employers", _("Employers")), ("memberships", _("Memberships"))]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    file = forms.FileField(label=_("CSV (UTF-8) or XLSX file"))
    reason = forms.CharField(label=_("Reason (kept in the audit record)"), max_length=300)
    dry_run = forms.BooleanField(label=_("Check only, change nothing"), required=False, initial=True)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; use the jamsostek import command.")
                % {"limit": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
            )
        return upload


def _reports_dir() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def import_page(request: HttpRequest) -> HttpResponse:
    if not for_user(request.user).may(Action.IMPORT_FILES):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        with tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.DATA_DIR) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            report_path = _reports_dir() / f"import-{request.user.pk}-{form.cleaned_data['kind']}-upload.csv"
            try:
                report = import_file(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    path=Path(handle.name),
                    reason=form.cleaned_data["reason"],
                    dry_run=form.cleaned_data["dry_run"],
                    report_path=report_path,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
    columns = {kind: import_columns(kind) for kind, _ in KINDS}
    return render(request, "registry/import.html", {"form": form, "report": report, "columns": columns})


def import_report(request: HttpRequest, kind: str) -> FileResponse:
    """The last upload report of this user for ``kind``."""
    if kind not in IMPORT_KINDS or not for_user(request.user).may(Action.IMPORT_FILES):
        raise Http404
    path = _reports_dir() / f"import-{request.user.pk}-{kind}-upload.csv"
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"report-{kind}.csv")


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def template(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    if extension not in CONTENT_TYPES:
        raise Http404
    try:
        content = import_template(kind, extension)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="jamsostek-{kind}.{extension}"'
    return response
