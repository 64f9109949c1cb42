from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("system/", views.system, name="system"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry_view, name="job_retry"),
]
