from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("all/", views.case_list, name="list"),
    path("all/export.csv", views.case_export, {"fmt": "csv"}, name="export"),
    path("all/export.xlsx", views.case_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("registers/parents-abroad/", views.parents_abroad, name="parents_abroad"),
    path("documents/templates/", views.document_templates, name="document_templates"),
    path("documents/templates/<str:kind>/<slug:language>/", views.document_template_edit, name="document_template"),
    path("new/<uuid:person_id>/", views.case_new, name="new"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/step/<slug:step>/", views.case_step, name="step"),
    path("<uuid:case_id>/plans/<uuid:plan_id>/return/", views.plan_return, name="plan_return"),
    path("<uuid:case_id>/plans/<uuid:plan_id>/<slug:decision>/", views.plan_decide, name="plan_decide"),
    path("<uuid:case_id>/closure/", views.closure_decide, name="closure_decide"),
    path("<uuid:case_id>/tasks/<uuid:task_id>/done/", views.task_done, name="task_done"),
    path("<uuid:case_id>/duties/<uuid:duty_id>/visit/", views.visit_add, name="visit_add"),
    path("<uuid:case_id>/print/<slug:kind>.<slug:fmt>", views.document_print, name="print"),
    path("<uuid:case_id>/documents/<uuid:document_id>/", views.document_download, name="document"),
]
