from django.urls import path

from tutti.participation import views

app_name = "participation-manage"
urlpatterns = [
    path("", views.manage_home, name="home"),
    path("new/<slug:section>/", views.record_create, name="record-create"),
    path("figures/<slug:key>/", views.figure_records, name="figure-records"),
    path("return.xlsx", views.return_xlsx, name="return-xlsx"),
    path("return.csv", views.return_csv, name="return-csv"),
]
