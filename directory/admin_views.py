"""Wagtail admin pages of the directory: the import (upload → preview → run by Celery →
progress) and the list of possible duplicates to merge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.views.generic.models import CreateView, EditView

from accounts.decorators import hub_staff_required
from core.errors import DomainError

from . import import_report, services
from .forms import PlaceImportForm
from .models import PlaceImport

staff_only = hub_staff_required(
    reason=gettext_lazy(
        "L'import et le dédoublonnage de l'annuaire sont réservés à l'équipe du Hub."
    )
)


@staff_only
def import_upload(request):
    form = PlaceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            place_import = services.place_import_preview(
                upload=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                file_format=form.cleaned_data["file_format"] or None,
                user=request.user,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("directory_admin:import_detail", pk=place_import.pk)
    return TemplateResponse(
        request,
        "directory/admin/import_upload.html",
        {"form": form, "imports": PlaceImport.objects.select_related("created_by")[:20]},
        status=400 if form.errors else 200,
    )


@staff_only
def import_detail(request, pk: int):
    place_import = get_object_or_404(PlaceImport, pk=pk)
    report = place_import.report or place_import.preview
    return TemplateResponse(
        request,
        "directory/admin/import_detail.html",
        {
            "place_import": place_import,
            "report": report,
            "running": place_import.status
            in (PlaceImport.Status.QUEUED, PlaceImport.Status.RUNNING),
            "percent": 100 * place_import.progress // max(place_import.total, 1),
        },
    )


def _report_of(request, pk: int) -> tuple[PlaceImport, dict]:
    place_import = get_object_or_404(PlaceImport, pk=pk)
    return place_import, place_import.report or place_import.preview


@staff_only
def import_report_csv(request, pk: int):
    """Every rejected and warned line of the import (or of its preview), as CSV."""
    place_import, report = _report_of(request, pk)
    return import_report.as_csv_response(report, filename=f"rapport-import-{pk}.csv")


@staff_only
def import_report_print(request, pk: int):
    """The same report on a page made for paper."""
    place_import, report = _report_of(request, pk)
    return TemplateResponse(
        request,
        "directory/admin/import_report_print.html",
        {"place_import": place_import, "report": report, "rows": import_report.rows(report)},
    )


@require_POST
@staff_only
def import_run(request, pk: int):
    place_import = get_object_or_404(PlaceImport, pk=pk)
    try:
        services.place_import_queue(place_import=place_import)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Import lancé."))
    return redirect("directory_admin:import_detail", pk=pk)


@staff_only
def duplicates(request):
    rows = services.duplicate_rows()
    return TemplateResponse(request, "directory/admin/duplicates.html", {"rows": rows})


class PlaceEditView(EditView):
    """Admin edits go through the same service as managers' edits: history and hand-edit
    tracking included."""

    def save_instance(self):
        return services.place_update(
            place=self.object, user=self.request.user, data=self.form.cleaned_data
        )


class PlaceCreateView(CreateView):
    """A place typed by Hub staff: a Hub identifier, placed in its commune, its history
    started (services.place_create); a refusal is the form's French error."""

    def save_instance(self):
        return services.place_create(
            data=self.form.cleaned_data, organisation=None, user=self.request.user
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
