from django.urls import path

from . import views, views_registers

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("import/", views.activity_import, name="import"),
    path("import/template.csv", views.activity_import_template, name="import_template"),
    path("<uuid:activity_id>/", views.activity_detail, name="detail"),
    path("<uuid:activity_id>/edit/", views.activity_edit, name="edit"),
    path("<uuid:activity_id>/sheet/", views.activity_sheet, name="sheet"),
    path("<uuid:activity_id>/sheet/submit/", views.activity_sheet_submit, name="sheet_submit"),
    path("<uuid:activity_id>/sheet/persons/", views.activity_sheet_persons, name="sheet_persons"),
    path("registers/staff/<uuid:member_id>/", views_registers.staff_detail, name="staff_detail"),
    path(
        "registers/recommendations/<uuid:record_id>/status/",
        views_registers.recommendation_status,
        name="recommendation_status",
    ),
    path("registers/subplans/<uuid:record_id>/assess/", views_registers.sub_plan_assess, name="sub_plan_assess"),
    path("registers/<slug:register>/", views_registers.register_list, name="register"),
    path("registers/<slug:register>/new/", views_registers.register_create, name="register_create"),
]
