from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_home, name="home"),
    path("schedule/", views.schedule_page, name="schedule"),
    path("schedule/rule/", views.rule_add, name="rule_add"),
    path("schedule/deadline/", views.deadline_set, name="deadline_set"),
    path("schedule/defaults/", views.defaults_install, name="defaults_install"),
    path("runs/", views.runs_page, name="runs"),
    path("runs/now/", views.run_now, name="run_now"),
    path("persons/<str:person_id>/", views.person_privacy, name="person"),
    path("persons/<str:person_id>/access.pdf", views.access_pdf, name="access_pdf"),
    path("persons/<str:person_id>/access.json", views.access_json, name="access_json"),
    path("persons/<str:person_id>/requests/new/", views.request_new, name="request_new"),
    path("persons/<str:person_id>/holds/new/", views.hold_new, name="hold_new"),
    path("requests/<str:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<str:request_id>/decide/", views.request_decide, name="request_decide"),
    path("holds/<str:hold_id>/lift/", views.hold_lift, name="hold_lift"),
]
