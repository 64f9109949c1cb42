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

from carenet.audit.services import audit_record
from carenet.geo.permissions import area_for
from carenet.people import services
from carenet.people.models import AccessPurpose, Person
from carenet.people.permissions import person_for
from carenet.people.selectors import (
    AREA_UNKNOWN,
    OVERRIDE_REASON_REQUIRED,
    person_duplicates,
    person_outside_caseload,
    person_search,
)
from carenet.people.serializers import (
    AccessPurposeSerializer,
    DuplicateQuerySerializer,
    MatchSerializer,
    PersonDetailSerializer,
    PersonSerializer,
)

from .pagination import ListPagination, audit_page
from .rows import ListRows, list_response

# The list's rows: the serializer's columns and the ordering's key (``-updated_at``; a search orders by name).
_LIST_ROWS = ListRows(PersonSerializer, extra=("updated_at",))


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    pagination_class = ListPagination
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self) -> Any:
        return person_search(user=self.request.user, query=self.request.query_params.get("q", ""), limit=1000)

    def get_object(self) -> Person:
        return person_for(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name (any spelling), identifier or date")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return audit_page(request, list_response(self, request, _LIST_ROWS), key="id", what="api.persons.list")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "purpose",
                str,
                description="why the record is opened: required of a caseworker for a person outside their caseload "
                "(" + ", ".join(AccessPurpose.values) + "; with 'other', the words in 'note')",
            ),
            OpenApiParameter("note", str, description="the reason in a few words, with purpose=other"),
        ],
        responses={200: PersonDetailSerializer, 400: None},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        outside = person_outside_caseload(user=request.user, person=person)
        purpose = "api"
        if outside:  # issue 26: a caseworker says why they open a person outside their caseload
            why = AccessPurposeSerializer(data=request.query_params)
            why.is_valid(raise_exception=True)
            purpose = why.stored()
        audit_record(
            action="person.view",
            actor=request.user,
            obj=person,
            purpose=purpose,
            changes={"outside_caseload": True} if outside else {},
        )
        return Response(PersonDetailSerializer(person, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("confirm_new", bool, description="register even though a probable duplicate exists"),
            OpenApiParameter("reason", str, description="with confirm_new: why this is another person (audited)"),
        ],
        responses={201: PersonSerializer, 409: MatchSerializer(many=True)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a person. 409 only for a probable duplicate: the candidates come back with their probability
        and reasons; repeat with ``?confirm_new=1&reason=…`` to register anyway (audited). Possible duplicates
        do not stop the registration; they come back in ``possible_matches``."""
        serializer = PersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "area_id" in data:
            data["area"] = _area(request, data.pop("area_id"))
        confirm = str(request.query_params.get("confirm_new", "")).lower() in ("1", "true", "yes")
        reason = str(request.query_params.get("reason", "") or request.data.get("reason", "") or "").strip()[:200]
        matches = person_duplicates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data.get("birth_date"),
            national_id=data.get("national_id", ""),
            identifier_kind=data.get("identifier_kind", ""),
            other_spellings=data.get("other_spellings", ""),
            sex=data.get("sex", ""),
            address=data.get("address", ""),
        )
        probable = [m for m in matches if m.probable]
        override = None
        if matches:
            services.persons_read_record(
                actor=request.user, person_ids=[m.person.pk for m in matches], what="api.persons.duplicates"
            )
        if probable:
            if not confirm:
                return Response(
                    {
                        "matches": MatchSerializer(probable, many=True).data,
                        "override": "confirm_new=1&reason=…",
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            if not reason:
                raise ValidationError({"reason": [str(OVERRIDE_REASON_REQUIRED)]})
            override = {
                "reason": reason,
                "candidates": [m.person.pk for m in probable],
                "probability": probable[0].score,
            }
        person = services.person_register(actor=request.user, duplicate_override=override, **data)
        body = dict(PersonSerializer(person).data)
        body["possible_matches"] = MatchSerializer([m for m in matches if not m.probable], many=True).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[DuplicateQuerySerializer], responses=MatchSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # one list of likely matches, not paged
    def duplicates(self, request: Request) -> Response:
        query = DuplicateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = person_duplicates(user=request.user, **query.validated_data)
        services.persons_read_record(
            actor=request.user, person_ids=[m.person.pk for m in matches], what="api.persons.duplicates"
        )
        return Response(MatchSerializer(matches, many=True).data)


def _area(request: Request, area_id: Any) -> Any:
    if area_id is None:
        return None
    try:
        return area_for(request.user, area_id)
    except Http404 as exc:
        raise ValidationError({"area": [str(AREA_UNKNOWN)]}) from exc


__all__ = ["Http404", "PermissionDenied", "PersonViewSet"]
