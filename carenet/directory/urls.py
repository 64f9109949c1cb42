from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.services, name="services"),
    path("freshness/", views.freshness, name="freshness"),
    path("import/", views.directory_import, name="import"),
    path("import/jobs/<uuid:job_id>/", views.directory_import_job, name="import_job"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/sources/new/", views.source_new, name="source_new"),
    path("feeds/sources/<uuid:source_id>/", views.source_detail, name="source"),
    path("feeds/sources/<uuid:source_id>/pull/", views.source_pull_now, name="source_pull"),
    path("feeds/pulls/<uuid:pull_id>/", views.pull_detail, name="pull"),
    path("feeds/pulls/<uuid:pull_id>/apply/", views.pull_apply, name="pull_apply"),
    path("feeds/pulls/<uuid:pull_id>/reject/", views.pull_reject, name="pull_reject"),
    path("feeds/push/", views.push_settings, name="push"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path("services/<uuid:service_id>/verify/", views.service_verify_view, name="service_verify"),
    path("locations/<uuid:location_id>/edit/", views.location_edit, name="location_edit"),
    path("organisations/<uuid:organisation_id>/new-service/", views.service_new, name="service_new"),
]
