"""Every URL of the portal: the staff list (under "portal/") and the public list (under the municipality's
slug). Mounted once, LAST in CARENET_URLS, so the public "<slug>/…" pages never shadow another app's
fixed prefix; inside this module the staff list is tried first for the same reason.

The URL names keep the namespaces the templates, e-mails, tests and the nav already use: ``portal``
(public pages), ``finder``, ``transparency``, ``public_dashboard``; ``portal_help`` (requests for help,
routing, announcements) and ``portal_engage`` (feedback, participation, surveys, consultations) for staff.
Every staff action has its own URL (POST only), named after what it does.
"""

from django.urls import include, path

from .views import (
    consultations,
    dashboard,
    feedback,
    finder,
    help_requests,
    home,
    news,
    participation,
    surveys,
    transparency,
)

# ---------------------------------------------------------------------------------------------------
# Staff pages, under "portal/"

help_staff = [
    path("", help_requests.queue, name="queue"),
    path("<uuid:request_id>/", help_requests.request_detail, name="detail"),
    path("<uuid:request_id>/first-contact/", help_requests.request_first_contact, name="first_contact"),
    path("<uuid:request_id>/status/", help_requests.request_status, name="status"),
    path("<uuid:request_id>/route/", help_requests.request_reroute, name="reroute"),
    path("<uuid:request_id>/take-up/", help_requests.request_take_up, name="take_up"),
    path("routing/", help_requests.routing, name="routing"),
    path("routing/add/", help_requests.routing_rule_add, name="routing_rule_add"),
    path("routing/<uuid:rule_id>/delete/", help_requests.routing_rule_delete, name="routing_rule_delete"),
    path("news/", news.news_staff, name="news"),
    path("news/new/", news.news_create, name="news_create"),
    path("news/<uuid:item_id>/withdraw/", news.news_unpublish, name="news_unpublish"),
]

C = "consultations/<uuid:consultation_id>/"
engage_staff = [
    path("", participation.staff_home, name="staff_home"),
    path("feedback/", feedback.feedback_staff, name="feedback_staff"),
    path("feedback/codes/new/", feedback.feedback_invite_create, name="feedback_invite_create"),
    path("feedback/<uuid:feedback_id>/", feedback.feedback_detail, name="feedback_detail"),
    path("feedback/<uuid:feedback_id>/reply/", feedback.feedback_reply, name="feedback_reply"),
    path("surveys/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<uuid:survey_id>/", surveys.survey_staff, name="survey"),
    path("surveys/<uuid:survey_id>/questions/new/", surveys.survey_question_add, name="survey_question_add"),
    path("surveys/<uuid:survey_id>/open/", surveys.survey_open, name="survey_open"),
    path("surveys/<uuid:survey_id>/close/", surveys.survey_close, name="survey_close"),
    path("surveys/<uuid:survey_id>/links/new/", surveys.survey_invites_create, name="survey_invites_create"),
    path("surveys/<uuid:survey_id>/export.<str:fmt>", surveys.survey_export, name="survey_export"),
    path("consultations/new/", consultations.consultation_create, name="consultation_create"),
    path(C, consultations.consultation_staff, name="consultation"),
    path(C + "documents/new/", consultations.consultation_document_add, name="consultation_document_add"),
    path(C + "answer/", consultations.consultation_answer, name="consultation_answer"),
    path(C + "close/", consultations.consultation_close, name="consultation_close"),
    path(C + "sessions/new/", consultations.consultation_session_record, name="consultation_session_record"),
    path(C + "comments/<uuid:comment_id>/hide/", consultations.comment_hide, name="comment_hide"),
    path(C + "ideas/<uuid:idea_id>/hide/", consultations.idea_hide, name="idea_hide"),
    path("consultations/moderation/", consultations.moderation_queue, name="moderation"),
    path(C + "comments/<uuid:comment_id>/approve/", consultations.comment_approve, name="comment_approve"),
    path(C + "comments/<uuid:comment_id>/reject/", consultations.comment_reject, name="comment_reject"),
    path(C + "ideas/<uuid:idea_id>/approve/", consultations.idea_approve, name="idea_approve"),
    path(C + "ideas/<uuid:idea_id>/reject/", consultations.idea_reject, name="idea_reject"),
    path("consultations/rules/", consultations.consultation_rules, name="consultation_rules"),
]

staff_urlpatterns = [
    path("portal/help/", include((help_staff, "portal_help"))),
    path("portal/engage/", include((engage_staff, "portal_engage"))),
]

# ---------------------------------------------------------------------------------------------------
# Public pages, under "<municipality_slug>/"

P = "<slug:municipality_slug>/"
portal_public = [
    path(P, home.portal_home, name="home"),
    path(P + "emergency/", home.emergency, name="emergency"),
    path(P + "news/", news.news_list, name="news"),
    path(P + "news/<uuid:item_id>/", news.news_detail, name="news_detail"),
    path(P + "help/", help_requests.help_request, name="help"),
    path(P + "help/sent/", help_requests.help_sent, name="help_sent"),
    path(P + "help/track/", help_requests.help_track, name="help_track"),
    path(P + "help/mine/", help_requests.help_mine, name="help_mine"),
    path(P + "feedback/", feedback.feedback_start, name="feedback"),
    path(P + "feedback/code/<str:code>/", feedback.feedback_form, name="feedback_form"),
    path(P + "feedback/thanks/", feedback.feedback_thanks, name="feedback_thanks"),
    path(P + "feedback/service/<uuid:service_id>/", feedback.service_feedback_public, name="service_feedback"),
    path(P + "surveys/", surveys.survey_list, name="surveys"),
    path(P + "surveys/<uuid:survey_id>/", surveys.survey_answer, name="survey"),
    path(P + "consultations/", consultations.consultation_list, name="consultations"),
    path(P + "consultations/sessions/", consultations.session_list, name="sessions"),
    path(P + "consultations/<uuid:consultation_id>/", consultations.consultation_detail, name="consultation"),
    path(P + "consultations/<uuid:consultation_id>/comment/", consultations.consultation_comment, name="comment"),
    path(P + "consultations/<uuid:consultation_id>/idea/", consultations.consultation_idea, name="idea"),
    path(P + "consultations/ideas/<uuid:idea_id>/support/", consultations.idea_support, name="idea_support"),
    path(P + "consultations/documents/<uuid:document_id>/", consultations.consultation_document, name="document"),
]

finder_public = [
    path(P + "services/", finder.finder, name="search"),
    path(P + "services/map/", finder.finder_map, name="map"),
    path(P + "services/<uuid:service_id>/", finder.service_page, name="service"),
]

transparency_public = [
    path(P + "plans/", transparency.plan_list, name="plans"),
    path(P + "plans/<slug:code>/", transparency.plan_page, name="plan"),
    path(P + "plans/<slug:code>/open-data.csv", transparency.open_data_csv, name="csv"),
    path(P + "plans/<slug:code>/open-data.json", transparency.open_data_json, name="json"),
]

dashboard_public = [
    path(P + "dashboard/", dashboard.public_dashboard_page, name="dashboard"),
    path(P + "dashboard/<str:key>.csv", dashboard.public_dashboard_csv, name="csv"),
]

public_urlpatterns = [
    path("", include((finder_public, "finder"))),
    path("", include((transparency_public, "transparency"))),
    path("", include((portal_public, "portal"))),
    path("", include((dashboard_public, "public_dashboard"))),
]

urlpatterns = staff_urlpatterns + public_urlpatterns
