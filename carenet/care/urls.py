"""Care matching's URLs: the staff list under "care/" and the public list under "<slug>/care/" (families and
caregivers). Mounted before the portal in CARENET_URLS; one URL per action (POST only)."""

from django.urls import include, path

from .views import caregiver, cover, family, staff

staff_patterns = [
    path("", staff.staff_home, name="staff_home"),
    path("requests/new/<uuid:person_id>/", staff.request_create, name="request_create"),
    path("requests/<uuid:request_id>/", staff.request_detail, name="request"),
    path("requests/<uuid:request_id>/choose/<uuid:caregiver_id>/", staff.request_choose, name="request_choose"),
    path("caregivers/", staff.caregiver_list, name="caregivers"),
    path("caregivers/new/", staff.caregiver_create, name="caregiver_create"),
    path("caregivers/<uuid:caregiver_id>/", staff.caregiver_detail, name="caregiver"),
    path("caregivers/<uuid:caregiver_id>/training/", staff.caregiver_training, name="caregiver_training"),
    path("covers/", cover.cover_list, name="covers"),
    path("covers/<uuid:cover_id>/", cover.cover_detail, name="cover"),
    path("covers/<uuid:cover_id>/choose/<uuid:caregiver_id>/", cover.cover_choose, name="cover_choose"),
    path("complaints/", staff.complaint_list, name="complaints"),
    path("complaints/<uuid:complaint_id>/resolve/", staff.complaint_resolve, name="complaint_resolve"),
]

P = "<slug:municipality_slug>/care/"
B = P + "bookings/<uuid:booking_id>/"
public_patterns = [
    path(P, family.care_home, name="home"),
    path(P + "request/", family.request_new, name="request_new"),
    path(P + "requests/<uuid:request_id>/", family.request_page, name="request"),
    path(P + "requests/<uuid:request_id>/pick/<uuid:caregiver_id>/", family.request_pick, name="pick"),
    path(B + "confirm/", family.booking_confirm, name="family_confirm"),
    path(B + "cancel/", family.booking_cancel, name="family_cancel"),
    path(B + "rate/", family.booking_rate, name="family_rate"),
    path(B + "complain/", family.booking_complain, name="family_complain"),
    path(P + "covers/<uuid:cover_id>/", cover.family_cover, name="family_cover"),
    path(P + "covers/<uuid:cover_id>/pick/<uuid:caregiver_id>/", cover.family_cover_pick, name="family_cover_pick"),
    path(P + "caregiver/", caregiver.caregiver_home, name="caregiver"),
    path(P + "caregiver/availability/", caregiver.availability_save, name="availability"),
    path(B + "caregiver/confirm/", caregiver.booking_confirm, name="caregiver_confirm"),
    path(B + "caregiver/decline/", caregiver.booking_decline, name="caregiver_decline"),
    path(B + "caregiver/visit/start/", caregiver.visit_start, name="visit_start"),
    path(B + "caregiver/visit/end/", caregiver.visit_end, name="visit_end"),
    path(B + "caregiver/absent/", cover.caregiver_absent, name="caregiver_absent"),
    path(P + "caregiver/covers/<uuid:cover_id>/confirm/", cover.cover_confirm, name="caregiver_cover_confirm"),
    path(P + "caregiver/covers/<uuid:cover_id>/decline/", cover.cover_decline, name="caregiver_cover_decline"),
    path(
        P + "caregiver/covers/<uuid:cover_id>/visit/start/", cover.cover_visit_start, name="caregiver_cover_visit_start"
    ),
    path(P + "caregiver/covers/<uuid:cover_id>/visit/end/", cover.cover_visit_end, name="caregiver_cover_visit_end"),
    path(B + "caregiver/rate/", caregiver.booking_rate, name="caregiver_rate"),
    path(B + "caregiver/complain/", caregiver.booking_complain, name="caregiver_complain"),
]

urlpatterns = [
    path("care/", include((staff_patterns, "care"))),
    path("", include((public_patterns, "care_public"))),
]
