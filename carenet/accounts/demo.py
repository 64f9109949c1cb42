"""Demo users, one per role in each municipality, plus a platform administrator.

Shared by the test suite's conventions: a caseworker of provider A, one of provider B, a
coordinator, and users of the other municipality who must be refused everywhere.
"""

from typing import Any

from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role

from . import services
from .models import Membership, User

DEMO_PASSWORD = "carenet-demo-2026"

# (username suffix, role, organisation code, supervisor, first name, last name)
_DEMO_USERS: dict[str, list[tuple[str, str, str, bool, str, str]]] = {
    "balti": [
        ("coordinator", Role.COORDINATOR, "primaria", False, "Elena", "Rusu"),
        ("manager", Role.PROVIDER_MANAGER, "ccsm", True, "Ion", "Ceban"),
        ("caseworker", Role.CASEWORKER, "ccsm", False, "Ana", "Popescu"),
        ("caseworker2", Role.CASEWORKER, "cnpac", False, "Natalia", "Lungu"),
        ("manager2", Role.PROVIDER_MANAGER, "cnpac", True, "Sergiu", "Cojocaru"),
        ("dataofficer", Role.DATA_OFFICER, "dir-sanatate", False, "Vera", "Moraru"),
        ("auditor", Role.AUDITOR, "primaria", False, "Petru", "Turcan"),
    ],
    "baia-mare": [
        ("coordinator", Role.COORDINATOR, "das", False, "Maria", "Pop"),
        ("manager", Role.PROVIDER_MANAGER, "serviciul-copil-familie", True, "Andrei", "Mureșan"),
        ("caseworker", Role.CASEWORKER, "serviciul-copil-familie", False, "Ioana", "Pintea"),
        ("caseworker2", Role.CASEWORKER, "ong-fundatia-tu-si-cu-mine", False, "Erzsébet", "Szabó"),
        ("manager2", Role.PROVIDER_MANAGER, "ong-fundatia-tu-si-cu-mine", True, "Gabriel", "Todea"),
        ("dataofficer", Role.DATA_OFFICER, "primaria", False, "Carmen", "Bud"),
        ("auditor", Role.AUDITOR, "primaria", False, "Vasile", "Hossu"),
    ],
}


def username_for(municipality_slug: str, suffix: str) -> str:
    return f"{municipality_slug.replace('-', '')}.{suffix}"


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, organisation) for the README and `make run`."""
    rows = [("platform.admin", str(Role.PLATFORM_ADMIN.label), "—")]
    for slug, users in _DEMO_USERS.items():
        for suffix, role, org_code, *_ in users:
            rows.append((username_for(slug, suffix), str(Role(role).label), org_code))
    return rows


def _ensure_user(username: str, *, email: str, municipality: Any = None, **fields: Any) -> User:
    """The demo account, created through ``accounts.services`` (audited) the first time only."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None,
            username=username,
            email=email,
            municipality=municipality,
            password=DEMO_PASSWORD,
            is_demo=True,
            **fields,
        )
    return user


def load(*, stdout: Any = None) -> None:
    admin = _ensure_user("platform.admin", email="admin@carenet.local", is_superuser=True, is_staff=True)
    if not admin.is_superuser:
        services.user_update(actor=None, user=admin, is_superuser=True, is_staff=True)
    for slug, users in _DEMO_USERS.items():
        municipality = Municipality.objects.get(slug=slug)
        for suffix, role, org_code, supervisor, first, last in users:
            username = username_for(slug, suffix)
            user = _ensure_user(
                username,
                email=f"{username}@demo.carenet.local",
                first_name=first,
                last_name=last,
                municipality=municipality,
            )
            org = Organisation.objects.for_tenant(municipality).get(code=org_code)
            # Granted once: a role changed or revoked since is left as it is.
            if not Membership.objects.for_tenant(municipality).filter(user=user, organisation=org, role=role).exists():
                services.membership_grant(actor=None, user=user, organisation=org, role=role, is_supervisor=supervisor)
    if stdout:
        stdout.write(f"  demo users: {len(demo_logins())} (password: {DEMO_PASSWORD})")
