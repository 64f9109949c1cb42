from django.urls import path

from .views import housing, places, rent

app_name = "housing"
A = "applications/<uuid:application_id>/"
urlpatterns = [
    path("", housing.home, name="home"),
    path("applications/", housing.application_list, name="applications"),
    path("applications/new/", housing.application_create, name="application_create"),
    path(A, housing.application_detail, name="application"),
    path(A + "score/", housing.application_score, name="application_score"),
    path(A + "documents/new/", housing.application_document_add, name="application_document_add"),
    path(A + "appeals/new/", housing.appeal_file, name="appeal_file"),
    path("appeals/<uuid:appeal_id>/decide/", housing.appeal_decide, name="appeal_decide"),
    path("grids/", housing.grid_list, name="grids"),
    path("grids/<uuid:grid_id>/", housing.grid_detail, name="grid"),
    path("grids/<uuid:grid_id>/draw/", housing.list_draw, name="list_draw"),
    path("lists/", housing.list_index, name="lists"),
    path("lists/<uuid:list_id>/", housing.list_detail, name="list"),
    path("lists/<uuid:list_id>/approve/", housing.list_approve, name="list_approve"),
    path("dwellings/", housing.dwelling_list, name="dwellings"),
    path("dwellings/import/", housing.consumption_import, name="consumption_import"),
    path("dwellings/<uuid:dwelling_id>/", housing.dwelling_detail, name="dwelling"),
    path("dwellings/<uuid:dwelling_id>/offer/", housing.dwelling_offer, name="dwelling_offer"),
    path("dwellings/<uuid:dwelling_id>/visits/new/", housing.dwelling_visit, name="dwelling_visit"),
    path("dwellings/<uuid:dwelling_id>/consumption/new/", housing.dwelling_consumption, name="dwelling_consumption"),
    path("offers/<uuid:offer_id>/accept/", housing.offer_accept, name="offer_accept"),
    path("offers/<uuid:offer_id>/refuse/", housing.offer_refuse, name="offer_refuse"),
    path("offers/<uuid:offer_id>/contract/", housing.offer_contract, name="offer_contract"),
    path("contracts/<uuid:contract_id>/renew/", housing.contract_renew, name="contract_renew"),
    path("contracts/<uuid:contract_id>/terminate/", housing.contract_terminate, name="contract_terminate"),
    path("contracts/<uuid:contract_id>/rent/", rent.contract_rent, name="contract_rent"),
    path("contracts/<uuid:contract_id>/rent/pay/", rent.contract_rent_pay, name="contract_rent_pay"),
    path("contracts/<uuid:contract_id>/rent/statement/", rent.contract_rent_statement, name="contract_rent_statement"),
    path("rent/arrears/", rent.arrears_list, name="arrears"),
    path("places/", places.residence_list, name="residences"),
    path("places/outreach/", places.cold_night_outreach, name="outreach"),
    path("places/cold-night/", places.cold_night_declare, name="cold_night_declare"),
    path("places/<uuid:residence_id>/", places.residence_detail, name="residence"),
    path("places/<uuid:residence_id>/check-in/", places.residence_check_in, name="residence_check_in"),
    path("places/<uuid:residence_id>/waiting/new/", places.residence_waiting_add, name="residence_waiting_add"),
    path("stays/<uuid:stay_id>/check-out/", places.stay_check_out, name="stay_check_out"),
]
