from django.urls import path

from .views import aid, counter, lists, office, reports

app_name = "canteen"
urlpatterns = [
    path("", office.home, name="home"),
    path("rules/", office.rules, name="rules"),
    path("rules/new/", office.rules_new, name="rules_new"),
    path("applications/new/", office.application_create, name="application_create"),
    path("applications/<uuid:application_id>/", office.application_detail, name="application"),
    path("applications/<uuid:application_id>/approve/", office.application_approve, name="application_approve"),
    path("applications/<uuid:application_id>/refuse/", office.application_refuse, name="application_refuse"),
    path("decisions/<uuid:decision_id>/document.<str:fmt>", office.decision_document, name="decision_document"),
    path("units/<uuid:unit_id>/", lists.unit_detail, name="unit"),
    path("units/<uuid:unit_id>/lists/generate/", lists.list_generate, name="list_generate"),
    path("units/<uuid:unit_id>/cards/", lists.cards, name="cards"),
    path("units/<uuid:unit_id>/counter/", counter.counter, name="counter"),
    path("units/<uuid:unit_id>/counter/find/", counter.counter_find, name="counter_find"),
    path("units/<uuid:unit_id>/counter/serve/", counter.counter_serve, name="counter_serve"),
    path("units/<uuid:unit_id>/statement/", reports.statement, name="statement"),
    path("units/<uuid:unit_id>/contributions/", reports.contributions, name="contributions"),
    path("decisions/<uuid:decision_id>/pay/", reports.contribution_pay, name="contribution_pay"),
    path("decisions/<uuid:decision_id>/reverify/", office.decision_reverify, name="decision_reverify"),
    path("reverifications/", office.reverifications, name="reverifications"),
    path("lists/<uuid:list_id>/", lists.list_detail, name="list"),
    path("lists/<uuid:list_id>/send/", lists.list_send, name="list_send"),
    path("lists/<uuid:list_id>/export.<str:fmt>", lists.list_export, name="list_export"),
    path("cards/<uuid:card_id>/revoke/", lists.card_revoke, name="card_revoke"),
    path("reports/", reports.reports, name="reports"),
    path("aid/", aid.seasons, name="aid"),
    path("aid/<uuid:season_id>/", aid.season_detail, name="aid_season"),
    path("aid/<uuid:season_id>/signatures.<str:fmt>", aid.signature_sheet, name="aid_signatures"),
    path("aid/allocations/<uuid:allocation_id>/deliver/", aid.allocation_deliver, name="aid_deliver"),
]
