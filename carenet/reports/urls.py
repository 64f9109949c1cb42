from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("plans/<uuid:plan_id>/", views.report_start, name="report_start"),
    path("jobs/<uuid:job_id>/", views.report_job, name="report_job"),
    path("jobs/<uuid:job_id>/<str:ext>/", views.report_download, name="report_download"),
    path("plans/<uuid:plan_id>/dhis2.json", views.dhis2_json, name="dhis2_json"),
    path("plans/<uuid:plan_id>/adx.xml", views.dhis2_adx, name="dhis2_adx"),
    path("plans/<uuid:plan_id>/dhis2-metadata.json", views.dhis2_metadata, name="dhis2_metadata"),
]
