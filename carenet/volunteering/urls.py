"""Volunteering's URLs: the staff list under "volunteering/" and the public list under "<slug>/volunteer/".
Mounted before the portal in CARENET_URLS; one URL per staff action (POST only)."""

from django.urls import include, path

from .views import partner, public, staff

staff_patterns = [
    path("", staff.staff_home, name="staff_home"),
    path("opportunities/new/", staff.opportunity_create, name="opportunity_create"),
    path("opportunities/<uuid:opportunity_id>/", staff.opportunity_detail, name="opportunity"),
    path("applications/<uuid:application_id>/confirm/", staff.application_confirm, name="application_confirm"),
    path("applications/<uuid:application_id>/decline/", staff.application_decline, name="application_decline"),
    path("applications/<uuid:application_id>/contract.pdf", staff.application_contract, name="contract"),
    path("hours/<uuid:attendance_id>/confirm/", staff.attendance_confirm, name="attendance_confirm"),
    path("hours/<uuid:attendance_id>/reject/", staff.attendance_reject, name="attendance_reject"),
    path("volunteers/", staff.volunteer_list, name="volunteers"),
    path("volunteers/<uuid:volunteer_id>/", staff.volunteer_detail, name="volunteer"),
    path("volunteers/<uuid:volunteer_id>/approve/", staff.volunteer_approve, name="volunteer_approve"),
    path("volunteers/<uuid:volunteer_id>/suspend/", staff.volunteer_suspend, name="volunteer_suspend"),
    path("volunteers/<uuid:volunteer_id>/check/", staff.volunteer_check, name="volunteer_check"),
    path("volunteers/<uuid:volunteer_id>/calls/", staff.volunteer_calls_enlist, name="volunteer_calls"),
    path("volunteers/<uuid:volunteer_id>/certificate/", staff.volunteer_certificate, name="volunteer_certificate"),
    path("partner/", partner.partner_home, name="partner"),
    path("partner/check/", partner.partner_check, name="partner_check"),
    path("partner/rewards/new/", partner.reward_create, name="reward_create"),
]

P = "<slug:municipality_slug>/volunteer/"
public_patterns = [
    path(P, public.volunteer_home, name="home"),
    path(P + "sign-up/", public.sign_up, name="sign_up"),
    path(P + "apply/<uuid:opportunity_id>/", public.apply, name="apply"),
    path(P + "check-in/<uuid:application_id>/", public.check_in, name="check_in"),
    path(P + "check-out/<uuid:attendance_id>/", public.check_out, name="check_out"),
    path(P + "turns/", public.turn_record, name="turn"),
    path(P + "rewards/", public.rewards, name="rewards"),
    path(P + "rewards/<uuid:reward_id>/redeem/", public.redeem, name="redeem"),
    path(P + "certificates/", public.verify, name="verify"),
]

urlpatterns = [
    path("volunteering/", include((staff_patterns, "volunteering"))),
    path("", include((public_patterns, "volunteering_public"))),
]
