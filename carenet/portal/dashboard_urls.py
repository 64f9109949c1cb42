from django.urls import path

from . import dashboard_views

app_name = "public_dashboard"
P = "<slug:municipality_slug>/dashboard/"
urlpatterns = [
    path(P, dashboard_views.public_dashboard_page, name="dashboard"),
    path(P + "<str:key>.csv", dashboard_views.public_dashboard_csv, name="csv"),
]
