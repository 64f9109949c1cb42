"""Staff pages of feedback, surveys and consultations, mounted at "portal/engage/"."""

from django.urls import path

from . import engage_views as views

app_name = "portal_engage"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("feedback/", views.feedback_staff, name="feedback_staff"),
    path("feedback/<uuid:feedback_id>/", views.feedback_detail, name="feedback_detail"),
    path("surveys/<uuid:survey_id>/", views.survey_staff, name="survey"),
    path("surveys/<uuid:survey_id>/export.<str:fmt>", views.survey_export, name="survey_export"),
    path("consultations/<uuid:consultation_id>/", views.consultation_staff, name="consultation"),
]
