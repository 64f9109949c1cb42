from django.urls import path

from .views import public

app_name = "training_public"
urlpatterns = [
    path("<slug:municipality_slug>/training/", public.catalogue, name="catalogue"),
    path("<slug:municipality_slug>/training/certificates/", public.certificate_check, name="certificate_check"),
    path("<slug:municipality_slug>/training/companies/<uuid:organisation_id>/", public.company, name="company"),
    path("<slug:municipality_slug>/training/<uuid:course_id>/", public.course, name="course"),
]
