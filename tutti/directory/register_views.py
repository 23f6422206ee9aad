from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tutti.core.permissions import hub_permission_required


@hub_permission_required("can_import_schools")
def register_import(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """Placeholder: the upload page for the school register."""
    return render(request, "directory/register_import.html", {})
