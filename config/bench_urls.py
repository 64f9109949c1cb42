"""URLs of the benchmark server: the whole application plus one trivial endpoint, the framework floor.

``/bench/ping`` goes through the same middleware and the same DRF stack (renderer, content
negotiation, throttles, AllowAny) as the public API but runs no query: what any endpoint of this
server costs at the least. Ratios of the real endpoints to it show what the application adds.
"""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from config.urls import urlpatterns as app_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def ping(request: Request) -> Response:
    return Response({"ok": True})


urlpatterns = [path("bench/ping", ping), *app_urlpatterns]
