from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<uuid:plan_id>/", views.plan_detail, name="detail"),
    path("<uuid:plan_id>/periods/<str:code>/", views.period_detail, name="period"),
    path("<uuid:plan_id>/periods/<str:code>/lock/", views.period_lock_view, name="period_lock"),
    path("<uuid:plan_id>/periods/<str:code>/reopen/", views.period_reopen_view, name="period_reopen"),
    path("forms/<uuid:submission_id>/", views.submission_form, name="form"),
    path("forms/<uuid:submission_id>/submit/", views.submission_submit_view, name="form_submit"),
    path("forms/<uuid:submission_id>/review/", views.submission_review_view, name="form_review"),
]
