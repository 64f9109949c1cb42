"""/api/v1/persons/: the registry, scoped exactly like the pages (same selectors, same services)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carenet.audit.services import audit_read
from carenet.people import services
from carenet.people.models import Person
from carenet.people.selectors import AREA_UNKNOWN, person_duplicates, person_get, person_search
from carenet.people.serializers import (
    DuplicateQuerySerializer,
    MatchSerializer,
    PersonDetailSerializer,
    PersonSerializer,
)

from .pagination import ListPagination


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    pagination_class = ListPagination
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self) -> Any:
        return person_search(user=self.request.user, query=self.request.query_params.get("q", ""), limit=1000)

    def get_object(self) -> Person:
        return person_get(user=self.request.user, person_id=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name (any spelling), identifier or date")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=PersonDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        audit_read(actor=request.user, obj=person, purpose="api")
        return Response(PersonDetailSerializer(person, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("confirm_new", bool, description="register even if likely matches exist")],
        responses={201: PersonSerializer, 409: MatchSerializer(many=True)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "area_id" in data:
            data["area"] = _area(request, data.pop("area_id"))
        confirm = str(request.query_params.get("confirm_new", "")).lower() in ("1", "true", "yes")
        if not confirm:
            matches = person_duplicates(
                user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data.get("birth_date"),
                national_id=data.get("national_id", ""),
            )
            if matches:
                return Response({"matches": MatchSerializer(matches, many=True).data}, status=status.HTTP_409_CONFLICT)
        person = services.person_register(user=request.user, **data)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[DuplicateQuerySerializer], responses=MatchSerializer(many=True))
    @action(detail=False, methods=["get"])
    def duplicates(self, request: Request) -> Response:
        query = DuplicateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = person_duplicates(user=request.user, **query.validated_data)
        return Response(MatchSerializer(matches, many=True).data)


def _area(request: Request, area_id: Any) -> Any:
    if area_id is None:
        return None
    from carenet.geo.models import Area

    try:
        return Area.objects.for_tenant(getattr(request.user, "municipality_id", None)).get(pk=area_id)
    except Area.DoesNotExist as exc:
        raise ValidationError({"area": [str(AREA_UNKNOWN)]}) from exc


__all__ = ["Http404", "PermissionDenied", "PersonViewSet"]
