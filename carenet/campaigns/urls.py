from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/rebuild/", views.register_rebuild, name="register_rebuild"),
    path("register/add/", views.register_add, name="register_add"),
    path("register/<uuid:entry_id>/remove/", views.register_remove, name="register_remove"),
    path("register/<uuid:entry_id>/reach/", views.register_reach, name="register_reach"),
    path("rules/", views.rules, name="rules"),
    path("new/", views.campaign_create, name="create"),
    path("<uuid:campaign_id>/", views.campaign_detail, name="detail"),
    path("<uuid:campaign_id>/live/", views.campaign_live, name="live"),
    path("<uuid:campaign_id>/close/", views.campaign_close, name="close"),
    path("<uuid:campaign_id>/kits/", views.campaign_kit, name="kit"),
    path("<uuid:campaign_id>/messages/", views.campaign_messages, name="messages"),
    path("<uuid:campaign_id>/messages/send/", views.campaign_messages_send, name="messages_send"),
    path("messaging/", views.messaging_settings, name="messaging"),
    # The SMS and voice gateway's callbacks: public, CSRF-exempt, refused (403) without its signature.
    path("hooks/sms/", views.hook_sms, name="hook_sms"),
    path("hooks/voice/<uuid:message_id>/", views.hook_voice, name="hook_voice"),
    path("hooks/status/<uuid:message_id>/", views.hook_status, name="hook_status"),
    path("lists/<uuid:list_id>/", views.call_list, name="list"),
    path("lists/<uuid:list_id>/checkin/", views.checkin_submit, name="checkin"),
    path("heat/", views.heat, name="heat"),
    path("centres/", views.centres, name="centres"),
    path("centres/<uuid:centre_id>/visits/", views.centre_visits, name="centre_visits"),
    path("centres/<uuid:centre_id>/edit/", views.centre_edit, name="centre_edit"),
]
