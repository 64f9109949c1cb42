"""/api/v1/cases/ and /api/v1/deliveries/: scoped like the pages, writes through the same services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carenet.audit.services import audit_read
from carenet.cases import services
from carenet.cases.models import Case
from carenet.cases.permissions import case_for, deliveries_by_provider, delivery_service_for
from carenet.cases.selectors import (
    CASE_NOT_FOUND,
    SERVICE_UNKNOWN,
    case_search,
    deliveries_list,
    delivery_counts,
)
from carenet.cases.serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    DeliveryCountQuerySerializer,
    DeliveryCountSerializer,
    DeliverySerializer,
)
from carenet.people.permissions import person_for
from carenet.people.selectors import PERSON_NOT_FOUND

from .pagination import ListPagination, audit_page
from .rows import ListRows, list_response

# The lists' rows: the serializers' columns, which hold the orderings' keys (``-opened_on``, ``-delivered_on``).
_CASE_ROWS = ListRows(CaseSerializer)
_DELIVERY_ROWS = ListRows(DeliverySerializer)


def _person(request: Request, person_id: Any) -> Any:
    try:
        return person_for(request.user, person_id)
    except Http404 as exc:
        raise ValidationError({"person": [str(PERSON_NOT_FOUND)]}) from exc


_CASE_LIST_COLUMNS = (
    "municipality_id",
    *(name for name in CaseSerializer.Meta.fields if name != "caseworker"),
    "caseworker__username",
)


class CaseViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = CaseSerializer
    pagination_class = ListPagination
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self) -> Any:
        params = self.request.query_params
        cases = case_search(user=self.request.user, query=params.get("q", ""), status=params.get("status", "all"))
        # The same rows, loading only what CaseSerializer shows: the pages' person and provider rows (wide: search
        # columns, translations) cost more to build than the whole query (SQLite, 50 cases: ~60% of the request).
        return cases.select_related(None).select_related("caseworker").only(*_CASE_LIST_COLUMNS)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return audit_page(request, list_response(self, request, _CASE_ROWS), key="person", what="api.cases.list")

    def retrieve(self, request: Request, pk: str) -> Response:
        case = case_for(request.user, pk)
        audit_read(actor=request.user, obj=case, purpose="api")
        return Response(CaseSerializer(case).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        payload = CaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = _person(request, data.pop("person"))
        case = services.case_open(actor=request.user, person=person, **data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses={200: CaseSerializer, 409: None})
    def partial_update(self, request: Request, pk: str) -> Response:
        case = case_for(request.user, pk, action="change")
        payload = CaseUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        try:
            services.case_update(actor=request.user, case=case, expected_version=version, **data)
        except services.StaleCaseError as exc:
            return Response(
                {"errors": [{"field": "version", "message": " ".join(exc.messages)}]}, status=status.HTTP_409_CONFLICT
            )
        return Response(CaseSerializer(case).data)


class DeliveryViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = DeliverySerializer
    pagination_class = ListPagination

    @extend_schema(parameters=[DeliveryCountQuerySerializer], responses=DeliveryCountSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # one table of counts, not paged
    def counts(self, request: Request) -> Response:
        """Unique persons and acts by sex × age band × disability, over the deliveries the user may see."""
        query = DeliveryCountQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = delivery_counts(
            user=request.user, date_from=data["date_from"], date_to=data["date_to"], service_id=data.get("service")
        )
        return Response(DeliveryCountSerializer(rows, many=True).data)

    def get_queryset(self) -> Any:
        return deliveries_list(user=self.request.user, limit=10_000)

    def keyset_parts(self, queryset: Any) -> list[Any] | None:
        """The cursor pages' rows, one provider at a time (``ListPagination``)."""
        return deliveries_by_provider(user=self.request.user, deliveries=queryset)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return audit_page(
            request, list_response(self, request, _DELIVERY_ROWS), key="person", what="api.deliveries.list"
        )

    def create(self, request: Request) -> Response:
        payload = DeliverySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = _person(request, data.pop("person_id"))
        try:
            service = delivery_service_for(request.user, data.pop("service_id"))
        except Http404 as exc:
            raise ValidationError({"service": [str(SERVICE_UNKNOWN)]}) from exc
        case = None
        case_id = data.pop("case_id", None)
        if case_id:
            try:
                case = case_for(request.user, case_id)
            except Http404 as exc:
                raise ValidationError({"case": [str(CASE_NOT_FOUND)]}) from exc
        delivery = services.delivery_record(actor=request.user, person=person, service=service, case=case, **data)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


__all__ = ["Case", "CaseViewSet", "DeliveryViewSet", "PermissionDenied"]
