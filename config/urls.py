from django.contrib import admin
from django.urls import include, path

from config.api import api
from tutti.core import urls as core_urls
from tutti.directory.views import home

# The home page lists the hubs, so it is the directory's view; it keeps its name, core:home,
# in core's namespace, which is put together here because core imports no other app.
core_pages = [path("", home, name="home"), *core_urls.urlpatterns]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("tutti.accounts.urls")),
    path("accounts/", include("tutti.accounts.allauth_urls")),
    path("", include((core_pages, core_urls.app_name))),
    # /accounts/my-data/ and each hub's /<hub>/privacy/ notice.
    path("", include("tutti.privacy.urls")),
    # Networks span hubs, so they sit outside any hub's slug.
    path("networks/", include("tutti.provision.network_urls")),
    # Mail providers' delivery events (bounces, complaints) for newsletters.
    path("anymail/", include("tutti.newsletters.webhook_urls")),
    # Programmes span hubs too: /programmes/<slug>/.
    path("programmes/", include("tutti.programmes.urls")),
    # Hub pages last: their first segment is the hub's slug.
    path("<slug:hub_slug>/manage/newsletters/", include("tutti.newsletters.manage_urls")),
    path("<slug:hub_slug>/manage/clusters/", include("tutti.clusters.manage_urls")),
    path("<slug:hub_slug>/manage/events/", include("tutti.events.manage_urls")),
    path("<slug:hub_slug>/manage/participation/", include("tutti.participation.manage_urls")),
    path("<slug:hub_slug>/manage/provision/", include("tutti.provision.manage_urls")),
    path("<slug:hub_slug>/manage/transition/", include("tutti.transition.manage_urls")),
    path("<slug:hub_slug>/manage/loans/", include("tutti.loans.manage_urls")),
    path("<slug:hub_slug>/manage/competitions/", include("tutti.competitions.manage_urls")),
    path("<slug:hub_slug>/manage/networks/", include("tutti.cpd.manage_urls")),
    path("<slug:hub_slug>/manage/team/", include("tutti.accounts.manage_urls")),
    path("<slug:hub_slug>/manage/settings/", include("tutti.directory.hub_settings_urls")),
    path("<slug:hub_slug>/manage/", include("tutti.privacy.manage_urls")),
    path("<slug:hub_slug>/manage/", include("tutti.directory.manage_urls")),
    path("<slug:hub_slug>/clusters/", include("tutti.clusters.urls")),
    # A hub's own CPD networks of teachers; networks of hubs are under /networks/ above.
    path("<slug:hub_slug>/networks/", include("tutti.cpd.urls")),
    path("<slug:hub_slug>/whats-on/", include("tutti.events.urls")),
    path("<slug:hub_slug>/instruments/", include("tutti.loans.urls")),
    path("<slug:hub_slug>/competitions/", include("tutti.competitions.urls")),
    # The impact page, and partners' returns through their signed links.
    path("<slug:hub_slug>/", include("tutti.participation.urls")),
    path("<slug:hub_slug>/provision/", include("tutti.provision.urls")),
    path("<slug:hub_slug>/transition/", include("tutti.transition.urls")),
    path("<slug:hub_slug>/newsletters/", include("tutti.newsletters.urls")),
    path("<slug:hub_slug>/", include("tutti.directory.urls")),
]

handler404 = "tutti.core.views.not_found"
handler403 = "tutti.core.views.forbidden"
