"""The REST API: /api/hsds/ (public, HSDS 3.0) and /api/v1/ (authenticated, scoped like the pages).

Each capability adds its routes in its own module (hsds.py, people.py, …) and one include line here.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import cases, people

app_name = "api"

v1 = SimpleRouter()
v1.register("persons", people.PersonViewSet, basename="person")  # people
v1.register("cases", cases.CaseViewSet, basename="case")  # cases
v1.register("deliveries", cases.DeliveryViewSet, basename="delivery")  # cases

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("hsds/", include("carenet.api.hsds")),
    path("v1/", include(v1.urls)),
]
