"""/api/v1/referrals/: another system (a hospital, a school) sends and receives referrals.

Scoped exactly like the pages (the same selectors and services); errors in the one shape of
carenet/core/api_errors.py.

* ``GET  /api/v1/referrals/?list=received|sent|overdue&status=…`` — the user's providers' referrals
* ``POST /api/v1/referrals/`` — create (and by default send) a referral from a case
* ``GET  /api/v1/referrals/<id>/`` — one referral; ``shared`` data only while the user may see it
* ``POST /api/v1/referrals/<id>/transition/`` — ``{"action": "accept" | "decline" | "start" | "complete" | "cancel" | "send", …}``
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carenet.audit.services import audit_read
from carenet.cases.permissions import case_for
from carenet.directory.permissions import service_for
from carenet.referrals import services
from carenet.referrals.permissions import STEP_RULES, can_view_shared_data, referral_for
from carenet.referrals.selectors import (
    case_documents,
    referrals_overdue,
    referrals_received,
    referrals_sent,
    shared_dossier,
)
from carenet.referrals.serializers import (
    BAD_LIST,
    NO_CASE,
    NO_SERVICE,
    NOT_CASE_DOCUMENTS,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferralTransitionSerializer,
    shared_payload,
)

LISTS: dict[str, Callable[..., Any]] = {
    "received": referrals_received,
    "sent": referrals_sent,
    "overdue": referrals_overdue,
}


def _service(request: Request, service_id: Any, field: str) -> Any:
    try:
        return service_for(request.user, service_id)
    except Http404 as exc:  # not in the directory, or a malformed id: same answer
        raise ValidationError({field: [NO_SERVICE]}) from exc


def _detail(request: Request, referral: Any) -> dict[str, Any]:
    data = dict(ReferralSerializer(referral).data)
    if can_view_shared_data(request.user, referral):
        audit_read(actor=request.user, obj=referral, purpose="api")
        data["shared_data"] = shared_payload(referral, shared_dossier(referral=referral))
    else:
        data["shared_data"] = None
    return data


class ReferralListCreate(ListAPIView):
    serializer_class = ReferralSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        box = params.get("list", "received")
        if box not in LISTS:
            raise ValidationError({"list": [BAD_LIST]})
        kwargs: dict[str, Any] = {"user": self.request.user}
        if box != "overdue":
            kwargs["status"] = params.get("status", "")
        return LISTS[box](**kwargs)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def post(self, request: Request) -> Response:
        payload = ReferralCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        try:
            case = case_for(request.user, data.pop("case"), action="change")
        except Http404 as exc:
            raise ValidationError({"case": [NO_CASE]}) from exc
        service = _service(request, data.pop("service"), "service")
        document_ids = data.pop("documents")
        documents = list(case_documents(case=case).filter(pk__in=document_ids))
        if len(documents) != len(set(document_ids)):
            raise ValidationError({"documents": [NOT_CASE_DOCUMENTS]})
        referral = services.referral_create(actor=request.user, case=case, service=service, documents=documents, **data)
        return Response(_detail(request, referral), status=status.HTTP_201_CREATED)


class ReferralDetail(APIView):
    serializer_class = ReferralSerializer

    def get(self, request: Request, referral_id: Any) -> Response:
        return Response(_detail(request, referral_for(request.user, referral_id)))


class ReferralTransition(APIView):
    serializer_class = ReferralTransitionSerializer

    @extend_schema(request=ReferralTransitionSerializer, responses={200: ReferralSerializer})
    def post(self, request: Request, referral_id: Any) -> Response:
        payload = ReferralTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        action = data["action"]
        user = request.user
        referral = referral_for(user, referral_id, action=STEP_RULES[action])
        if action == "send":
            services.referral_send(actor=user, referral=referral, override_reason=data["override_reason"])
        elif action == "accept":
            services.referral_accept(actor=user, referral=referral, note=data["note"])
        elif action == "decline":
            suggested = (
                _service(request, data["suggested_service"], "suggested_service") if data["suggested_service"] else None
            )
            services.referral_decline(
                actor=user,
                referral=referral,
                reason=data["reason"],
                suggested_service=suggested,
                suggested_alternative=data["suggested_alternative"],
            )
        elif action == "start":
            services.referral_start(actor=user, referral=referral)
        elif action == "complete":
            services.referral_complete(
                actor=user, referral=referral, outcome=data["outcome"], feedback=data["feedback"]
            )
        else:
            services.referral_cancel(actor=user, referral=referral, reason=data["reason"])
        return Response(_detail(request, referral))


urlpatterns = [
    path("", ReferralListCreate.as_view(), name="referral-list"),
    path("<uuid:referral_id>/", ReferralDetail.as_view(), name="referral-detail"),
    path("<uuid:referral_id>/transition/", ReferralTransition.as_view(), name="referral-transition"),
]
