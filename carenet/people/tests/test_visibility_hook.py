"""Higher layers (referrals) widen what an organisation sees through a registered extension."""

from django.db.models import Q

from carenet.people import permissions
from carenet.people.permissions import persons_visible_to, register_person_visibility


def test_a_registered_extension_lets_another_provider_see_a_shared_person(caseworker_b, person_a, org_b):
    def shared_with_b(actor, organisation_ids):
        # stands in for "persons referred to these organisations while the referral is open"
        return Q(pk=person_a.pk) if org_b.pk in organisation_ids else Q(pk__in=[])

    assert not persons_visible_to(caseworker_b).filter(pk=person_a.pk).exists()
    register_person_visibility(shared_with_b)
    try:
        assert persons_visible_to(caseworker_b).filter(pk=person_a.pk).exists()
    finally:
        permissions._person_extensions.remove(shared_with_b)
    assert not persons_visible_to(caseworker_b).filter(pk=person_a.pk).exists()
