"""Public pages of the portal, under the municipality's slug. Mounted LAST in CARENET_URLS: the
"<slug>/" home would otherwise shadow the fixed prefixes of staff pages."""

from django.urls import path

from . import engage_views, help_views

app_name = "portal"
P = "<slug:municipality_slug>/"
urlpatterns = [
    path(P, help_views.portal_home, name="home"),
    path(P + "emergency/", help_views.emergency, name="emergency"),
    path(P + "news/", help_views.news_list, name="news"),
    path(P + "news/<uuid:item_id>/", help_views.news_detail, name="news_detail"),
    path(P + "help/", help_views.help_request, name="help"),
    path(P + "help/sent/", help_views.help_sent, name="help_sent"),
    path(P + "help/track/", help_views.help_track, name="help_track"),
    path(P + "feedback/", engage_views.feedback_start, name="feedback"),
    path(P + "feedback/code/<str:code>/", engage_views.feedback_form, name="feedback_form"),
    path(P + "feedback/thanks/", engage_views.feedback_thanks, name="feedback_thanks"),
    path(P + "feedback/service/<uuid:service_id>/", engage_views.service_feedback_public, name="service_feedback"),
    path(P + "surveys/", engage_views.survey_list, name="surveys"),
    path(P + "surveys/<uuid:survey_id>/", engage_views.survey_answer, name="survey"),
    path(P + "consultations/", engage_views.consultation_list, name="consultations"),
    path(P + "consultations/sessions/", engage_views.session_list, name="sessions"),
    path(P + "consultations/<uuid:consultation_id>/", engage_views.consultation_detail, name="consultation"),
    path(P + "consultations/<uuid:consultation_id>/comment/", engage_views.consultation_comment, name="comment"),
    path(P + "consultations/<uuid:consultation_id>/idea/", engage_views.consultation_idea, name="idea"),
    path(P + "consultations/ideas/<uuid:idea_id>/support/", engage_views.idea_support, name="idea_support"),
    path(P + "consultations/documents/<int:document_id>/", engage_views.consultation_document, name="document"),
]
