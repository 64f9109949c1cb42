from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("areas/", views.area_list, name="areas"),
    path("areas.geojson", views.area_geojson, name="areas_geojson"),
]
