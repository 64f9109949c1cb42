from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role

from .models import Membership, User


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    municipality: Municipality | None,
    first_name: str = "",
    last_name: str = "",
    is_demo: bool = False,
    actor: Any = None,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        municipality=municipality,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(action="user.create", actor=actor, obj=user, municipality=municipality)
    return user


@transaction.atomic
def membership_grant(
    *, user: User, organisation: Organisation, role: Role | str, is_supervisor: bool = False, actor: Any = None
) -> Membership:
    if user.municipality_id != organisation.municipality_id:
        raise ValidationError({"organisation": _("The organisation belongs to another municipality than the user.")})
    membership, created = Membership.objects.for_tenant(organisation.municipality_id).get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"municipality_id": organisation.municipality_id, "is_supervisor": is_supervisor},
    )
    if created:
        audit_record(
            action="membership.grant",
            actor=actor,
            obj=membership,
            changes={"role": str(role), "organisation": str(organisation.pk), "user": user.username},
        )
    return membership
