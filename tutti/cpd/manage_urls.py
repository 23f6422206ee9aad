from django.urls import path

from tutti.cpd.views import claims, manage

app_name = "cpd-manage"
urlpatterns = [
    path("", manage.manage_network_list, name="list"),
    path("new/", manage.manage_network_new, name="new"),
    path("claims/", claims.manage_claims, name="claims"),
    path("claims/<int:pk>/", claims.manage_claim_decide, name="claim-decide"),
    path("claims.csv", claims.manage_claims_csv, name="claims-csv"),
    path("claims.xlsx", claims.manage_claims_xlsx, name="claims-xlsx"),
    path("<slug:network_slug>/edit/", manage.manage_network_edit, name="edit"),
]
