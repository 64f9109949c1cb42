from django.urls import path

from . import transparency_views as views

app_name = "transparency"
urlpatterns = [
    path("<slug:municipality_slug>/plans/", views.plan_list, name="plans"),
    path("<slug:municipality_slug>/plans/<slug:code>/", views.plan_page, name="plan"),
    path("<slug:municipality_slug>/plans/<slug:code>/open-data.csv", views.open_data_csv, name="csv"),
    path("<slug:municipality_slug>/plans/<slug:code>/open-data.json", views.open_data_json, name="json"),
]
