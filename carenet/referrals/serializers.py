"""Shapes of referrals in the API (carenet/api/referrals.py): the same scoping as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Referral, ReferralOutcome, Urgency

# Messages of the API module (carenet/api/referrals.py), kept in this app's catalogue.
NO_CASE = _("No case with this identifier that you may see.")
NO_SERVICE = _("No service with this identifier in your network.")
BAD_LIST = _("Choose one of: received, sent, overdue.")
NOT_CASE_DOCUMENTS = _("Only documents of this case can be shared.")

TRANSITIONS = ("send", "accept", "decline", "start", "complete", "cancel")


class ReferralSerializer(serializers.ModelSerializer):
    """The outline every party that may see the referral gets (no personal data)."""

    from_organisation = serializers.UUIDField(source="from_organisation_id", read_only=True)
    from_organisation_name = serializers.CharField(source="from_organisation.name", read_only=True)
    to_organisation = serializers.UUIDField(source="to_organisation_id", read_only=True)
    to_organisation_name = serializers.CharField(source="to_organisation.name", read_only=True)
    to_service = serializers.UUIDField(source="to_service_id", read_only=True)
    to_service_name = serializers.CharField(source="to_service.name", read_only=True)
    shared = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "urgency",
            "reason",
            "from_organisation",
            "from_organisation_name",
            "to_organisation",
            "to_organisation_name",
            "to_service",
            "to_service_name",
            "shared",
            "basis",
            "emergency_override",
            "sent_at",
            "respond_by",
            "received_at",
            "responded_at",
            "accepted_at",
            "started_at",
            "closed_at",
            "decline_reason",
            "suggested_alternative",
            "outcome",
            "feedback",
            "version",
        ]
        read_only_fields = fields

    def get_shared(self, obj: Referral) -> list[str]:
        from .services import referral_shared_keys

        return referral_shared_keys(obj)


class SharedPersonSerializer(serializers.Serializer):
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.CharField(required=False)
    national_id = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


def shared_payload(referral: Referral, dossier: Any) -> dict[str, Any]:
    """Only the parts the referral shares."""
    data: dict[str, Any] = {}
    person = dossier.person
    if person is not None:
        fields: list[str] = []
        if referral.share_identity:
            fields += ["first_name", "last_name", "birth_date", "sex", "national_id"]
        if referral.share_contact:
            fields += ["address", "phone", "email"]
        data["person"] = {f: getattr(person, f) for f in fields}
        if "birth_date" in data["person"] and data["person"]["birth_date"] is not None:
            data["person"]["birth_date"] = data["person"]["birth_date"].isoformat()
    if referral.share_inquiry:
        inquiry = dossier.inquiry
        data["social_inquiry"] = (
            {
                "visited_on": inquiry.visited_on.isoformat(),
                "housing": inquiry.housing,
                "risks": inquiry.risks,
                "conclusions": inquiry.conclusions,
            }
            if inquiry
            else None
        )
    if referral.share_plan:
        plan = dossier.plan
        data["plan"] = (
            {
                "goals": plan.goals,
                "actions": [{"action": a.action, "due_on": a.due_on.isoformat()} for a in plan.actions.all()],
            }
            if plan
            else None
        )
    if referral.share_special:
        special = dossier.special
        data["special_category"] = (
            {
                "disability_degree": special.disability_degree,
                "disability_type": special.disability_type,
                "health_notes": special.health_notes,
            }
            if special
            else None
        )
    data["documents"] = [{"id": str(d.pk), "title": d.title, "kind": d.kind} for d in dossier.documents]
    return data


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField(label=_("case"))
    service = serializers.UUIDField(label=_("service"))
    reason = serializers.CharField(label=_("reason for the referral"), max_length=4000)
    urgency = serializers.ChoiceField(label=_("urgency"), choices=Urgency.choices, default=Urgency.ROUTINE)
    share_identity = serializers.BooleanField(default=True)
    share_contact = serializers.BooleanField(default=False)
    share_inquiry = serializers.BooleanField(default=False)
    share_plan = serializers.BooleanField(default=False)
    share_special = serializers.BooleanField(default=False)
    documents = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    send = serializers.BooleanField(default=True)
    override_reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ReferralTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(label=_("action"), choices=[(t, t) for t in TRANSITIONS])
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    suggested_service = serializers.UUIDField(required=False, allow_null=True, default=None)
    suggested_alternative = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices, required=False, allow_blank=True, default="")
    feedback = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    override_reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
