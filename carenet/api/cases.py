"""/api/v1/cases/ and /api/v1/deliveries/: scoped like the pages, writes through the same services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carenet.audit.services import audit_read
from carenet.cases import services
from carenet.cases.models import Case
from carenet.cases.selectors import case_get, case_search, deliveries_list
from carenet.cases.serializers import CaseCreateSerializer, CaseSerializer, CaseUpdateSerializer, DeliverySerializer
from carenet.directory.models import Service
from carenet.people.selectors import person_get


def _person(request: Request, person_id: Any) -> Any:
    try:
        return person_get(user=request.user, person_id=person_id)
    except Http404 as exc:
        raise ValidationError({"person": [_("No person with this identifier that you may see.")]}) from exc


class CaseViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = CaseSerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return case_search(user=self.request.user, query=params.get("q", ""), status=params.get("status", "all"))

    def retrieve(self, request: Request, pk: str) -> Response:
        case = case_get(user=request.user, case_id=pk)
        audit_read(actor=request.user, obj=case, purpose="api")
        return Response(CaseSerializer(case).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        payload = CaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = _person(request, data.pop("person"))
        case = services.case_open(user=request.user, person=person, **data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses={200: CaseSerializer, 409: None})
    def partial_update(self, request: Request, pk: str) -> Response:
        case = case_get(user=request.user, case_id=pk)
        payload = CaseUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        try:
            services.case_update(user=request.user, case=case, expected_version=version, **data)
        except services.StaleCaseError as exc:
            return Response(
                {"errors": [{"field": "version", "message": " ".join(exc.messages)}]}, status=status.HTTP_409_CONFLICT
            )
        return Response(CaseSerializer(case).data)


class DeliveryViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = DeliverySerializer

    def get_queryset(self) -> Any:
        return deliveries_list(user=self.request.user, limit=10_000)

    def create(self, request: Request) -> Response:
        payload = DeliverySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = _person(request, data.pop("person_id"))
        try:
            service = Service.objects.for_tenant(request.user.municipality_id).get(pk=data.pop("service_id"))
        except Service.DoesNotExist as exc:
            raise ValidationError({"service": [_("Unknown service.")]}) from exc
        case = None
        case_id = data.pop("case_id", None)
        if case_id:
            try:
                case = case_get(user=request.user, case_id=case_id)
            except Http404 as exc:
                raise ValidationError({"case": [_("No case with this identifier that you may see.")]}) from exc
        delivery = services.delivery_record(user=request.user, person=person, service=service, case=case, **data)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


__all__ = ["Case", "CaseViewSet", "DeliveryViewSet", "PermissionDenied"]
