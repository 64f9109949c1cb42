"""The REST API: /api/hsds/ (public, HSDS 3.0) and /api/v1/ (authenticated, scoped like the pages).

Each capability adds its routes in its own module (hsds.py, people.py, …) and one include line here.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("hsds/", include("carenet.api.hsds")),
]
