from django.urls import path

from tutti.loans import views

app_name = "loans-manage"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/new/", views.instrument_create, name="instrument-create"),
    path("instruments/import/", views.instrument_import, name="instrument-import"),
    path("instruments/template.csv", views.import_template, name="import-template"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/edit/", views.instrument_edit, name="instrument-edit"),
    path("instruments/<int:pk>/label/", views.instrument_label, name="instrument-label"),
    path("instruments/<int:pk>/qr.png", views.instrument_label_png, name="instrument-qr"),
    path("instruments/<int:pk>/repair/", views.repair_open, name="repair-open"),
    path("instruments/<int:pk>/retire/", views.instrument_retire, name="instrument-retire"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("loans/", views.loan_list, name="loans"),
    path("loans/school/", views.school_issue, name="school-issue"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("repairs/", views.repair_list, name="repairs"),
    path("repairs/<int:pk>/", views.repair_close, name="repair-close"),
    path("fees/", views.fees, name="fees"),
    path("charges/", views.charges, name="charges"),
    path("charges.<str:fmt>", views.charges_export, name="charges-export"),
]
