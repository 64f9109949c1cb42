"""A user of Baia Mare cannot see any Bălți organisation, user or audit event, by page or by id."""

from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_record
from carenet.core.policy import policy


def test_organisation_list_shows_only_the_own_municipality(client, coordinator, balti_org, org_a):
    client.force_login(coordinator)
    html = client.get("/account/organisations/").content.decode()
    assert org_a.name in html
    assert balti_org.name not in html


def test_another_municipalitys_organisation_is_not_found_by_id(client, coordinator, balti_org):
    client.force_login(coordinator)
    assert client.get(f"/account/organisations/{balti_org.pk}/").status_code == 404


def test_another_municipalitys_users_do_not_appear(client, coordinator, other_tenant_user, balti_org, org_a):
    client.force_login(coordinator)
    html = client.get(f"/account/organisations/{org_a.pk}/").content.decode()
    assert other_tenant_user.username not in html


def test_policy_refuses_every_action_across_tenants(coordinator, balti_org):
    assert not policy.can(coordinator, "view", balti_org)
    assert not policy.can(coordinator, "change", balti_org)


def test_an_auditor_sees_only_the_own_municipalitys_audit_events(client, auditor, balti, other_tenant_user):
    foreign = audit_record(action="person.view", actor=other_tenant_user, municipality=balti, object_id="secret-id")
    client.force_login(auditor)
    html = client.get("/audit/").content.decode()
    assert "secret-id" not in html
    response = client.get(f"/audit/?object_id={foreign.object_id}")
    assert '<span class="mono">secret-id</span>' not in response.content.decode()
    assert list(response.context["page"].object_list) == []
    assert AuditEvent.objects.filter(object_id="secret-id").count() == 1


def test_the_audit_log_is_refused_to_roles_other_than_auditor(client, caseworker_a, coordinator):
    for user in (caseworker_a, coordinator):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403


def test_browsing_the_audit_log_is_itself_audited(client, auditor):
    client.force_login(auditor)
    client.get("/audit/?action=auth.")
    assert AuditEvent.objects.filter(action="audit.browse", actor=auditor).exists()


def test_a_caseworker_cannot_change_another_providers_organisation(caseworker_a, manager_a, org_a, org_b):
    assert policy.can(manager_a, "change", org_a)
    assert not policy.can(manager_a, "change", org_b)
    assert not policy.can(caseworker_a, "change", org_a)


def test_the_audit_log_sends_an_anonymous_visitor_to_sign_in_and_refuses_the_other_municipality(
    client, other_tenant_user
):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(other_tenant_user)  # a coordinator of Bălți: not an auditor (a role page: 403)
    assert client.get("/audit/").status_code == 403
