"""The public pages of housing, under the municipality's slug (mounted just before the portal's)."""

from django.urls import path

from .views import public

app_name = "housing_public"
urlpatterns = [
    path("<slug:municipality_slug>/housing/ranking/", public.ranking, name="ranking"),
]
