from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Case, Channel, Outcome, ServiceDelivery


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    person = serializers.UUIDField(source="person_id")
    organisation = serializers.UUIDField(source="organisation_id")
    caseworker = serializers.CharField(source="caseworker.username", read_only=True, default=None)
    # Empty while the case is open: the schema lists "" too (a read-only model choice would leave it out).
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

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
    legal_basis = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="For a person the provider does not serve yet (not registered by it, no consent to it): the law "
        "that allows the case. A referred person's case is opened from the accepted referral.",
    )


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


class DeliveryCountQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    service = serializers.UUIDField(required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": [_("The end of the period is before its start.")]})
        return attrs


class DeliveryCountSerializer(serializers.Serializer):
    """Unique persons and acts of one cell: never add persons across cells of different periods."""

    sex = serializers.CharField()
    age_band = serializers.CharField()
    disability = serializers.BooleanField()
    persons = serializers.IntegerField()
    acts = serializers.IntegerField()
