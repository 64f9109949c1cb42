"""Staff pages of requests for help and announcements, mounted at "portal/help/"."""

from django.urls import path

from . import help_views as views

app_name = "portal_help"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:request_id>/", views.request_detail, name="detail"),
    path("<uuid:request_id>/first-contact/", views.request_first_contact, name="first_contact"),
    path("<uuid:request_id>/status/", views.request_status, name="status"),
    path("<uuid:request_id>/route/", views.request_reroute, name="reroute"),
    path("news/", views.news_staff, name="news"),
    path("news/<uuid:item_id>/withdraw/", views.news_unpublish, name="news_unpublish"),
]
