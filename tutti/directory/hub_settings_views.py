from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from tutti.directory import services
from tutti.directory.hub_settings_forms import HubSettingsForm
from tutti.directory.models import Hub
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest


@hub_permission_required("can_change_hub_settings")
def hub_settings(request: MemberRequest, hub_slug: str) -> HttpResponse:
    hub = Hub.objects.get(pk=request.hub.pk)
    form = HubSettingsForm(request.POST or None, request.FILES or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto the instance; the service saves and audits them.
        fields = {name: form.cleaned_data[name] for name in services.HUB_SETTINGS_FIELDS}
        if fields["logo"] is False:  # "Clear" ticked
            fields["logo"] = ""
        elif fields["logo"] is None:
            fields.pop("logo")
        request.hub.refresh_from_db()
        services.hub_settings_update(hub=request.hub, by=request.user, **fields)
        messages.success(request, "Saved the hub's settings.")
        return redirect("settings-manage:edit", hub_slug=hub_slug)
    status = 400 if form.errors else 200
    return render(request, "directory/hub_settings.html", {"form": form}, status=status)


@public_hub_view
def hub_logo(request: HubRequest, hub_slug: str) -> FileResponse:
    """The hub's logo, served from storage (it is public, like the hub's pages)."""
    logo = request.hub.logo
    if not logo:
        raise Http404("This hub has no logo.")
    response = FileResponse(logo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
