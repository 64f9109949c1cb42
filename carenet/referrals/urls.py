from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("figures/", views.referral_stats, name="stats"),
    path("new/", views.referral_pick_case, name="pick_case"),
    path("new/<uuid:case_id>/", views.referral_new, name="new"),
    path("transfer/<uuid:case_id>/", views.case_transfer, name="transfer"),
    path("response-times/", views.response_time_list, name="response_times"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/letter.<slug:fmt>", views.referral_letter, name="letter"),
    path("<uuid:referral_id>/documents/<uuid:document_id>/", views.shared_document, name="document"),
    path("<uuid:referral_id>/<slug:action>/", views.referral_transition, name="transition"),
]
