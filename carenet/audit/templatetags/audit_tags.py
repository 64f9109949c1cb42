"""Audit codes as the reader says them (carenet/audit/actions.py): no raw code reaches a page."""

from __future__ import annotations

from django import template

from ..actions import action_label, actor_label, object_type_label, purpose_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code)


@register.filter
def audit_object_type(object_type: str) -> str:
    return object_type_label(object_type)


@register.filter
def audit_purpose(purpose: str) -> str:
    return purpose_label(purpose)


@register.simple_tag
def audit_actor(event: object) -> str:
    return actor_label(getattr(event, "actor_label", ""), getattr(event, "actor_id", None))
