from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from .models import Case, Channel, ServiceDelivery


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    person = serializers.UUIDField(source="person_id")
    organisation = serializers.UUIDField(source="organisation_id")
    caseworker = serializers.CharField(source="caseworker.username", read_only=True, default=None)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "person",
            "organisation",
            "caseworker",
            "channel",
            "request_summary",
            "referred_by",
            "legal_basis",
            "status",
            "opened_on",
            "decided_on",
            "contract_signed_on",
            "outcome",
            "closed_on",
            "version",
        ]
        read_only_fields = [
            "reference",
            "status",
            "decided_on",
            "contract_signed_on",
            "outcome",
            "closed_on",
            "version",
            "legal_basis",
        ]


class CaseCreateSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    organisation = serializers.UUIDField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    opened_on = serializers.DateField(required=False)
    request_summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    referred_by = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CaseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    request_summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    referred_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    person = serializers.UUIDField(source="person_id")
    service = serializers.UUIDField(source="service_id")
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    case = serializers.UUIDField(source="case_id", required=False, allow_null=True)
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"), required=False)

    class Meta:
        model = ServiceDelivery
        fields = ["id", "person", "service", "organisation", "case", "delivered_on", "quantity", "unit"]
