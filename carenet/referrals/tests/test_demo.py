from django.core.management import call_command

from carenet.core.models import Municipality
from carenet.referrals.models import Referral, ReferralStatus


def test_the_demo_loads_referrals_in_every_state_once_per_municipality(db):
    call_command("load_demo")
    call_command("load_demo")
    for slug in ("baia-mare", "balti"):
        municipality = Municipality.objects.get(slug=slug)
        referrals = Referral.objects.for_tenant(municipality).select_related("person")
        assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
        assert referrals.count() == 10  # once, although loaded twice
        assert all(r.person.is_synthetic and not r.person.last_name.startswith("Demo") for r in referrals)
