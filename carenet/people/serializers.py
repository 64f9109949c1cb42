"""API shapes of persons. Special-category data is a separate nested object, present only for roles that need it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import AccessPurpose, Person, SensitiveProfile
from .permissions import can_view_sensitive_data
from .services import validate_identifier


class SensitiveProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = SensitiveProfile
        fields = ["disability_degree", "disability_type", "health_notes", "ethnicity", "violence_history"]


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(read_only=True)
    registered_by_organisation = serializers.UUIDField(source="registered_by_organisation_id", read_only=True)
    area = serializers.UUIDField(source="area_id", required=False, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "other_spellings",
            "sex",
            "birth_date",
            "identifier_kind",
            "national_id",
            "document_status",
            "address",
            "area",
            "phone",
            "email",
            "is_synthetic",
            "registered_by_organisation",
        ]
        read_only_fields = ["is_synthetic"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("identifier_kind", getattr(self.instance, "identifier_kind", ""))
        value = (attrs.get("national_id", getattr(self.instance, "national_id", "")) or "").strip()
        try:
            validate_identifier(kind=kind, value=value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class PersonDetailSerializer(PersonSerializer):
    """Adds ``special_category`` only when the requesting user's role needs it (absent otherwise)."""

    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and can_view_sensitive_data(request.user, instance):
            profile = SensitiveProfile.objects.for_tenant(instance.municipality_id).filter(person=instance).first()
            data["special_category"] = SensitiveProfileSerializer(profile).data if profile else None
        return data


class DuplicateQuerySerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    national_id = serializers.CharField(max_length=13, required=False, allow_blank=True)
    identifier_kind = serializers.CharField(max_length=5, required=False, allow_blank=True)
    other_spellings = serializers.CharField(max_length=300, required=False, allow_blank=True)
    sex = serializers.CharField(max_length=1, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MatchSerializer(serializers.Serializer):
    person = PersonSerializer()
    score = serializers.FloatField(help_text="match probability, 0-1")
    band = serializers.CharField(help_text="probable (409 at registration) or possible (a notice)")
    summary = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="what agrees")
    differences = serializers.ListField(child=serializers.CharField(), help_text="what differs")


class AccessPurposeSerializer(serializers.Serializer):
    """Why a caseworker opens a person outside their caseload (``?purpose=…&note=…``), as the page's form."""

    purpose = serializers.ChoiceField(choices=AccessPurpose.choices)
    note = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["purpose"] == AccessPurpose.OTHER and not (attrs.get("note") or "").strip():
            raise serializers.ValidationError({"note": [str(_("Write the reason."))]})
        return attrs

    def stored(self) -> str:
        """The audit's purpose column: the code, and for "other" the words after it (``other: …``)."""
        code = self.validated_data["purpose"]
        note = " ".join((self.validated_data.get("note") or "").split())
        return f"{code}: {note}"[:200] if code == AccessPurpose.OTHER else str(code)
