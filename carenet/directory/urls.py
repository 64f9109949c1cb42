from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.services, name="services"),
    path("freshness/", views.freshness, name="freshness"),
    path("import/", views.directory_import, name="import"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path("services/<uuid:service_id>/verify/", views.service_verify_view, name="service_verify"),
    path("locations/<uuid:location_id>/edit/", views.location_edit, name="location_edit"),
    path("organisations/<uuid:organisation_id>/new-service/", views.service_new, name="service_new"),
]
