from django.urls import path

from . import finder_views

app_name = "finder"
urlpatterns = [
    path("<slug:municipality_slug>/services/", finder_views.finder, name="search"),
    path("<slug:municipality_slug>/services/<uuid:service_id>/", finder_views.service_page, name="service"),
]
