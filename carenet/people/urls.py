from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.csv", views.person_export, name="export"),
    path("new/", views.person_new, name="new"),
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
