import pytest

from carenet.core.models import Organisation
from carenet.core.tenancy import TenantScopeError


def test_a_query_without_a_tenant_is_refused(org_a, balti_org):
    with pytest.raises(TenantScopeError):
        list(Organisation.objects.filter(name__icontains="a"))
    with pytest.raises(TenantScopeError):
        Organisation.objects.count()
    with pytest.raises(TenantScopeError):
        Organisation.objects.get(pk=org_a.pk)


def test_a_scoped_query_sees_only_its_tenant(baia_mare, org_a, balti_org):
    names = set(Organisation.objects.for_tenant(baia_mare).values_list("code", flat=True))
    assert names == {"das-copil-familie"}
    assert Organisation.objects.for_tenant(baia_mare).filter(pk=balti_org.pk).exists() is False


def test_platform_tools_can_say_all_tenants_explicitly(org_a, balti_org):
    assert Organisation.objects.all_tenants().count() == 2


def test_related_managers_still_work(org_a, caseworker_a):
    assert org_a.memberships.count() == 1


def test_an_empty_queryset_needs_no_tenant(org_a):
    # Nothing of any tenant can leak from no rows: fetch-and-check helpers return .none() for anonymous users.
    assert list(Organisation.objects.none()) == []
    assert Organisation.objects.none().count() == 0


def test_a_plan_is_deleted_whole_with_its_objectives_actions_and_indicators(bm_plan, baia_mare):
    """Deletion fetches related rows with only their key: reading their municipality must not reload them
    (it recursed), and every child goes with the plan."""
    from carenet.plans.models import Action, Indicator, Plan

    assert Action.objects.for_tenant(baia_mare).filter(plan=bm_plan).exists()
    bm_plan.delete()
    assert not Plan.objects.for_tenant(baia_mare).exists()
    assert not Action.objects.for_tenant(baia_mare).exists() and not Indicator.objects.for_tenant(baia_mare).exists()
