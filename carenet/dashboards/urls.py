from django.urls import path, re_path

from . import views

app_name = "dashboards"
SCOPE = "<str:scope>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("population/", views.population, name="population"),
    path("trends/", views.trends, name="trends"),
    path("figures/<str:key>/", views.outside_value, name="outside_value"),
    path(SCOPE, views.dashboard, name="dashboard"),
    re_path(
        r"^(?P<scope>network|provider)/export/(?P<key>[a-z]+)\.(?P<fmt>csv|xlsx)$", views.export_chart, name="export"
    ),
    path(SCOPE + "kpis/", views.kpi_list, name="kpis"),
    re_path(r"^(?P<scope>network|provider)/kpis\.(?P<fmt>csv|xlsx)$", views.kpi_export, name="kpi_export"),
    path(SCOPE + "maps/<str:kind>/", views.map_page, name="map"),
    path(SCOPE + "maps/<str:kind>/<str:layer>.geojson", views.map_geojson, name="map_geojson"),
]
