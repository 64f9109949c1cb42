from django.urls import path

from .views import courses, network, people

app_name = "training"
urlpatterns = [
    path("", courses.course_list, name="courses"),
    path("new/", courses.course_create, name="course_create"),
    path("<uuid:course_id>/", courses.course_detail, name="course"),
    path("<uuid:course_id>/publish/", courses.course_publish, name="course_publish"),
    path("<uuid:course_id>/sessions/", courses.session_add, name="session_add"),
    path("<uuid:course_id>/close/", courses.course_close, name="course_close"),
    path("sessions/<uuid:session_id>/roll/", courses.roll_call, name="roll_call"),
    path("sessions/<uuid:session_id>/roll/submit/", courses.roll_call_submit, name="roll_call_submit"),
    path("sessions/<uuid:session_id>/close/", courses.session_close, name="session_close"),
    path("cases/<uuid:case_id>/", people.case_training, name="case"),
    path("cases/<uuid:case_id>/enrol/", people.case_enrol, name="case_enrol"),
    path("cases/<uuid:case_id>/cv/", people.cv_print, name="cv"),
    path("cases/<uuid:case_id>/cv/add/", people.cv_add, name="cv_add"),
    path("cases/<uuid:case_id>/placements/", people.placement_add, name="placement_add"),
    path("cases/<uuid:case_id>/fairs/", people.fair_join, name="fair_join"),
    path("placements/<uuid:placement_id>/follow-up/<int:months>/", people.placement_follow_up, name="follow_up"),
    path("enrolments/<uuid:enrolment_id>/withdraw/", people.enrolment_withdraw, name="withdraw"),
    path("enrolments/<uuid:enrolment_id>/certificate.pdf", people.certificate_pdf, name="certificate"),
    path("alerts/", people.alert_list, name="alerts"),
    path("alerts/<uuid:alert_id>/read/", people.alert_read, name="alert_read"),
    path("fairs/", people.fair_list, name="fairs"),
    path("fairs/<uuid:fair_id>/", people.fair_detail, name="fair"),
    path("company/", network.company_page, name="company"),
    path("company/publish/", network.company_publish, name="company_publish"),
    path("rooms/", network.room_list, name="rooms"),
    path("rooms/new/", network.room_create, name="room_create"),
    path("rooms/lend/", network.room_lend, name="room_lend"),
    path("rules/", network.rules, name="rules"),
    path("figures/", network.figures, name="figures"),
]
