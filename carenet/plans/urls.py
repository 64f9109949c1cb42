from django.urls import path

from . import views
from .views import table_import

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", table_import.table_import_upload, name="table_import"),
    path("import/mapping/", table_import.table_import_mapping, name="table_import_mapping"),
    path("import/preview/", table_import.table_import_preview, name="table_import_preview"),
    path("<uuid:plan_id>/", views.plan_detail, name="detail"),
    path("<uuid:plan_id>/versions/new/", views.plan_version_add_view, name="version_add"),
    path("<uuid:plan_id>/indicators/", views.indicator_list, name="indicators"),
    path("<uuid:plan_id>/indicators/<uuid:indicator_id>/source/", views.indicator_source_view, name="indicator_source"),
    path(
        "<uuid:plan_id>/indicators/<uuid:indicator_id>/records/<str:code>/",
        views.indicator_records,
        name="indicator_records",
    ),
    path("<uuid:plan_id>/periods/<str:code>/", views.period_detail, name="period"),
    path("<uuid:plan_id>/periods/<str:code>/open-forms/", views.period_open_forms_view, name="period_open_forms"),
    path("<uuid:plan_id>/periods/<str:code>/lock/", views.period_lock_view, name="period_lock"),
    path("<uuid:plan_id>/periods/<str:code>/reopen/", views.period_reopen_view, name="period_reopen"),
    path("forms/<uuid:submission_id>/", views.submission_form, name="form"),
    path("forms/<uuid:submission_id>/submit/", views.submission_submit_view, name="form_submit"),
    path("forms/<uuid:submission_id>/review/", views.submission_review_view, name="form_review"),
]
