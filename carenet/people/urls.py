from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.csv", views.person_export, {"fmt": "csv"}, name="export"),
    path("export.xlsx", views.person_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", views.person_new, name="new"),
    path("access-report/", views.access_report, name="access_report"),
    path("duplicates/", views.duplicate_review, name="duplicates"),
    path("duplicates/scan/", views.duplicate_scan, name="duplicates_scan"),
    path("duplicates/not-same/", views.not_same_person, name="not_same"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/special-category/", views.sensitive_edit, name="sensitive"),
    path("<uuid:person_id>/consents/new/", views.consent_add, name="consent_add"),
    path("<uuid:person_id>/consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:person_id>/consents/<uuid:consent_id>/scan/", views.consent_scan, name="consent_scan"),
    path("<uuid:person_id>/documents/new/", views.document_add, name="document_add"),
    path("<uuid:person_id>/household/", views.household_add, name="household_add"),
    path("<uuid:person_id>/merge/", views.person_merge, name="merge"),
]
