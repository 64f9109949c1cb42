"""Demo users, one per role in each municipality, plus a platform administrator.

Shared by the test suite's conventions: a caseworker of provider A, one of provider B, a
coordinator, and users of the other municipality who must be refused everywhere.
"""

from typing import Any

from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role

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


def _ensure_user(username: str, **fields: Any) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={**fields, "is_demo": True})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(*, stdout: Any = None) -> None:
    admin = _ensure_user("platform.admin", email="admin@carenet.local", is_superuser=True, is_staff=True)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
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
            Membership.objects.for_tenant(municipality).get_or_create(
                user=user,
                organisation=org,
                role=role,
                defaults={"municipality": municipality, "is_supervisor": supervisor},
            )
    if stdout:
        stdout.write(f"  demo users: {len(demo_logins())} (password: {DEMO_PASSWORD})")
