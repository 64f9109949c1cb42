from django.core.management import call_command

from carenet.core.models import Municipality
from carenet.referrals.models import Referral


def test_the_demo_loads_referrals_once_per_municipality(db):
    call_command("load_demo")
    call_command("load_demo")
    for slug in ("baia-mare", "balti"):
        municipality = Municipality.objects.get(slug=slug)
        statuses = sorted(Referral.objects.for_tenant(municipality).values_list("status", flat=True))
        assert statuses == ["completed", "sent", "sent"]
