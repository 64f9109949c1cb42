from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("system/", views.system, name="system"),
]
