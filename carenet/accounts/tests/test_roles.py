"""Roles are granted and revoked only through accounts.services: within one municipality, and audited.

The same rules hold from the service, from the coordinator's staff page and from the platform administration.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.accounts import services
from carenet.accounts.models import Membership, User
from carenet.audit.models import AuditEvent
from carenet.core.policy import actor_of
from carenet.core.roles import Role
from carenet.testing.language import english  # noqa: F401  (autouse: these tests read English)


@pytest.fixture
def platform_admin(db):
    return User.objects.create_superuser(username="root", password="correct-horse-battery", email="root@test.local")


@pytest.fixture
def newcomer(baia_mare):
    """A Baia Mare account with no role yet."""
    return services.user_create(actor=None, username="newcomer", email="n@test.local", municipality=baia_mare)


@pytest.fixture
def balti_newcomer(balti):
    return services.user_create(actor=None, username="balti_new", email="bn@test.local", municipality=balti)


def _grants(user):
    return Membership.objects.for_tenant(user.municipality_id).filter(user=user, is_active=True)


# --- the service ------------------------------------------------------------------------------------------


def test_a_coordinator_grants_a_role_in_their_municipality_and_it_is_audited(coordinator, newcomer, org_a):
    membership = services.membership_grant(actor=coordinator, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    assert actor_of(User.objects.get(pk=newcomer.pk)).has_role(Role.CASEWORKER, organisation_id=org_a.pk)
    event = AuditEvent.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert event.actor == coordinator and event.changes["role"] == Role.CASEWORKER
    assert event.municipality_id == org_a.municipality_id


def test_a_revoked_role_is_gone_kept_as_history_and_audited(coordinator, newcomer, org_a):
    membership = services.membership_grant(actor=coordinator, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    services.membership_revoke(actor=coordinator, membership=membership)
    assert not _grants(newcomer).exists()
    assert Membership.objects.for_tenant(org_a.municipality_id).filter(pk=membership.pk, is_active=False).exists()
    assert AuditEvent.objects.filter(
        action="membership.revoke", object_id=str(membership.pk), actor=coordinator
    ).exists()
    # Granting it again is a grant again, audited again.
    services.membership_grant(actor=coordinator, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    assert _grants(newcomer).count() == 1
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(membership.pk)).count() == 2


def test_granting_a_role_in_an_organisation_of_another_municipality_is_refused(platform_admin, newcomer, balti_org):
    # Even the platform administrator: the user and the organisation must share a municipality.
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(actor=platform_admin, user=newcomer, organisation=balti_org, role=Role.CASEWORKER)
    assert "organisation" in exc.value.message_dict
    assert not Membership.objects.all_tenants().filter(user=newcomer).exists()
    assert not AuditEvent.objects.filter(action="membership.grant").exists()


def test_a_coordinator_cannot_grant_a_role_in_another_municipality(other_tenant_user, newcomer, org_a):
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=other_tenant_user, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    assert not _grants(newcomer).exists()


def test_a_coordinator_cannot_revoke_a_role_in_another_municipality(other_tenant_user, caseworker_a):
    membership = _grants(caseworker_a).get()
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=other_tenant_user, membership=membership)
    assert _grants(caseworker_a).exists()


def test_the_platform_administrator_grants_in_any_municipality(
    platform_admin, newcomer, balti_newcomer, org_a, balti_org
):
    services.membership_grant(actor=platform_admin, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    services.membership_grant(actor=platform_admin, user=balti_newcomer, organisation=balti_org, role=Role.AUDITOR)
    assert _grants(newcomer).exists() and _grants(balti_newcomer).exists()
    assert AuditEvent.objects.filter(action="membership.grant").count() == 2


@pytest.mark.parametrize("role_holder", ["caseworker_a", "manager_a", "auditor"])
def test_only_the_coordinator_grants_and_revokes_roles(request, role_holder, newcomer, org_a):
    actor = request.getfixturevalue(role_holder)
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=actor, user=newcomer, organisation=org_a, role=Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=actor, membership=_grants(actor).first())


def test_the_platform_administrator_role_is_not_a_membership(coordinator, newcomer, org_a):
    with pytest.raises(ValidationError):
        services.membership_grant(actor=coordinator, user=newcomer, organisation=org_a, role=Role.PLATFORM_ADMIN)


def test_a_coordinator_creates_accounts_of_their_own_municipality_only(coordinator, baia_mare, balti):
    user = services.user_create(actor=coordinator, username="ana", email="ana@test.local", municipality=baia_mare)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk), actor=coordinator).exists()
    assert not user.has_usable_password()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=coordinator, username="ion", email="ion@test.local", municipality=balti)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=coordinator, username="boss", email="b@test.local", municipality=baia_mare, is_superuser=True
        )


def test_an_account_with_roles_does_not_move_to_another_municipality(platform_admin, caseworker_a, balti):
    with pytest.raises(ValidationError) as exc:
        services.user_update(actor=platform_admin, user=caseworker_a, municipality=balti)
    assert "municipality" in exc.value.message_dict


# --- the coordinator's staff page ------------------------------------------------------------------------


def _urls(account, membership):
    base = f"/account/users/{account.uuid}/"
    return {
        "list": ("get", "/account/users/"),
        "new": ("get", "/account/users/new/"),
        "detail": ("get", base),
        "grant": ("post", base + "roles/grant/"),
        "revoke": ("post", f"{base}roles/{membership.pk}/revoke/"),
    }


@pytest.mark.parametrize("page", ["list", "new", "detail", "grant", "revoke"])
def test_the_users_page_sends_an_anonymous_visitor_to_sign_in(client, caseworker_a, page):
    method, url = _urls(caseworker_a, _grants(caseworker_a).get())[page]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("page", ["list", "new", "detail", "grant", "revoke"])
def test_the_users_page_is_refused_to_a_caseworker(client, caseworker_a, caseworker_b, page):
    method, url = _urls(caseworker_b, _grants(caseworker_b).get())[page]
    client.force_login(caseworker_a)
    assert getattr(client, method)(url).status_code == 403
    assert _grants(caseworker_b).exists()


@pytest.mark.parametrize("page", ["detail", "grant", "revoke"])
def test_another_municipalitys_coordinator_cannot_touch_this_municipalitys_users(
    client, other_tenant_user, caseworker_a, org_a, page
):
    method, url = _urls(caseworker_a, _grants(caseworker_a).get())[page]
    client.force_login(other_tenant_user)
    data = {"organisation": str(org_a.pk), "role": Role.COORDINATOR} if page == "grant" else {}
    assert getattr(client, method)(url, data).status_code == 404
    assert list(_grants(caseworker_a).values_list("role", flat=True)) == [Role.CASEWORKER]


def test_another_municipalitys_coordinator_does_not_see_this_municipalitys_users(
    client, other_tenant_user, caseworker_a
):
    client.force_login(other_tenant_user)
    response = client.get("/account/users/")
    assert response.status_code == 200
    assert list(response.context["accounts"]) == [other_tenant_user]
    assert str(caseworker_a.uuid) not in response.content.decode()


def test_the_coordinator_lists_the_municipalitys_users_and_their_roles(
    client, coordinator, caseworker_a, other_tenant_user
):
    client.force_login(coordinator)
    html = client.get("/account/users/").content.decode()
    assert "cw_a" in html and "Caseworker · " in html
    assert "balti_coord" not in html


def test_the_coordinator_creates_a_user_grants_and_revokes_a_role_through_the_page(client, coordinator, org_a):
    client.force_login(coordinator)
    response = client.post(
        "/account/users/new/", {"username": "maria", "first_name": "Maria", "last_name": "Pop", "email": "m@test.local"}
    )
    assert response.status_code == 302
    maria = User.objects.get(username="maria")
    assert maria.municipality_id == coordinator.municipality_id
    base = f"/account/users/{maria.uuid}/"
    assert (
        client.post(base + "roles/grant/", {"organisation": str(org_a.pk), "role": Role.CASEWORKER}).status_code == 302
    )
    membership = _grants(maria).get()
    assert membership.organisation == org_a and membership.role == Role.CASEWORKER
    assert client.post(f"{base}roles/{membership.pk}/revoke/").status_code == 302
    assert not _grants(maria).exists()
    actions = set(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert {"user.create", "membership.grant", "membership.revoke"} <= actions


def test_the_staff_page_refuses_a_grant_in_an_organisation_of_another_municipality(
    client, coordinator, newcomer, balti_org
):
    client.force_login(coordinator)
    response = client.post(
        f"/account/users/{newcomer.uuid}/roles/grant/", {"organisation": str(balti_org.pk), "role": Role.CASEWORKER}
    )
    assert response.status_code == 400
    assert not Membership.objects.all_tenants().filter(user=newcomer).exists()
    assert not AuditEvent.objects.filter(action="membership.grant").exists()


def test_the_users_page_is_in_the_coordinators_menu_only(client, coordinator, caseworker_a):
    client.force_login(coordinator)
    assert 'href="/account/users/"' in client.get("/account/").content.decode()
    client.force_login(caseworker_a)
    assert 'href="/account/users/"' not in client.get("/account/").content.decode()


# --- the platform administration -------------------------------------------------------------------------


def test_the_admin_refuses_a_membership_across_municipalities_and_audits_the_grants(
    client, platform_admin, newcomer, org_a, balti_org
):
    client.force_login(platform_admin)
    url = "/platform-admin/accounts/membership/add/"
    refused = client.post(url, {"user": newcomer.pk, "organisation": balti_org.pk, "role": Role.CASEWORKER})
    assert refused.status_code == 200 and "organisation" in refused.context["adminform"].form.errors
    assert not Membership.objects.all_tenants().filter(user=newcomer).exists()
    granted = client.post(url, {"user": newcomer.pk, "organisation": org_a.pk, "role": Role.CASEWORKER})
    assert granted.status_code == 302
    membership = _grants(newcomer).get()
    assert AuditEvent.objects.filter(
        action="membership.grant", object_id=str(membership.pk), actor=platform_admin
    ).exists()
    change = f"/platform-admin/accounts/membership/{membership.pk}/change/"
    assert client.post(change, {"is_supervisor": "", "is_active": ""}).status_code == 302
    assert not _grants(newcomer).exists()
    assert AuditEvent.objects.filter(action="membership.revoke", object_id=str(membership.pk)).exists()
    assert client.post(f"/platform-admin/accounts/membership/{membership.pk}/delete/").status_code == 403


def _user_change_data(user, **extra):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "municipality": user.municipality_id or "",
        "preferred_language": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_the_admins_user_form_grants_through_the_service_and_refuses_another_municipality(
    client, platform_admin, newcomer, org_a, balti_org
):
    client.force_login(platform_admin)
    url = f"/platform-admin/accounts/user/{newcomer.pk}/change/"
    row = {"memberships-TOTAL_FORMS": "1", "memberships-0-role": Role.CASEWORKER, "memberships-0-is_active": "on"}
    refused = client.post(url, _user_change_data(newcomer, **row, **{"memberships-0-organisation": balti_org.pk}))
    assert refused.status_code == 200
    assert "organisation" in refused.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert not Membership.objects.all_tenants().filter(user=newcomer).exists()
    granted = client.post(url, _user_change_data(newcomer, **row, **{"memberships-0-organisation": org_a.pk}))
    assert granted.status_code == 302
    membership = _grants(newcomer).get()
    assert AuditEvent.objects.filter(
        action="membership.grant", object_id=str(membership.pk), actor=platform_admin
    ).exists()


def test_the_admin_creates_accounts_through_the_service(client, platform_admin, baia_mare):
    client.force_login(platform_admin)
    response = client.post(
        "/platform-admin/accounts/user/add/",
        {
            "username": "elena",
            "email": "elena@test.local",
            "first_name": "Elena",
            "last_name": "Rusu",
            "municipality": baia_mare.pk,
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    elena = User.objects.get(username="elena")
    assert elena.municipality == baia_mare and not elena.has_usable_password()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(elena.pk), actor=platform_admin).exists()
