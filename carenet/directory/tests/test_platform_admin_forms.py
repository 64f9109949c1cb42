"""Issue 26, Low 13: the platform administrator (no municipality of their own) opens the service forms."""

from carenet.testing import factories


def test_the_platform_admin_edits_and_adds_a_service(client, service_a, org_a):
    admin = factories.UserFactory(username="platform", is_superuser=True, is_staff=True)
    client.force_login(admin)
    edit = client.get(f"/directory/services/{service_a.pk}/edit/")
    assert edit.status_code == 200
    assert "name_hu" in edit.content.decode()  # Baia Mare's languages: the service's municipality's
    assert client.get(f"/directory/organisations/{org_a.pk}/new-service/").status_code == 200
