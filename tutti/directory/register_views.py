from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tutti.core.uploads import LimitedFileField
from tutti.directory import register
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


class RegisterUploadForm(forms.Form):
    file = LimitedFileField(
        max_bytes=register.WEBSITE.max_bytes,
        label="File from Get Information about Schools",
        help_text="The CSV file (or the zip file it came in) exactly as you downloaded it.",
    )


@hub_permission_required("can_import_schools")
def register_import(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Upload a GIAS download. It imports the whole file: the register is national open data."""
    post = request.method == "POST"
    form = RegisterUploadForm(request.POST, request.FILES) if post else RegisterUploadForm()
    report = None
    if post and form.is_valid():
        report = register.register_import(
            data=form.cleaned_data["file"].read(),
            by=request.user,
            hub=request.hub,
            limits=register.WEBSITE,
        )
        if report.ok:
            messages.success(request, f"The school register was imported. {report.summary}")
            return redirect("directory-manage:directory", hub_slug=hub_slug)
    status = 400 if post else 200
    return render(
        request,
        "directory/register_import.html",
        {"form": form, "report": report},
        status=status,
    )
