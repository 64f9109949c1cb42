from django.core.management import call_command

from carenet.accounts.models import User
from carenet.core.models import Municipality, Organisation


def test_load_demo_is_idempotent_and_loads_the_real_organisations(db):
    call_command("load_demo")
    call_command("load_demo")
    assert Municipality.objects.count() == 2
    balti = Municipality.objects.get(slug="balti")
    baia_mare = Municipality.objects.get(slug="baia-mare")
    assert (balti.currency, balti.official_languages) == ("MDL", ["ro", "ru"])
    assert (baia_mare.currency, baia_mare.official_languages) == ("RON", ["ro", "hu"])
    # All 34 bodies named by the Bălți plan; DAS, its 26 centres, 8 NGOs and the city hall in Baia Mare.
    assert Organisation.objects.for_tenant(balti).count() == 34
    bm = Organisation.objects.for_tenant(baia_mare)
    assert bm.filter(parent__code="das").count() == 26
    assert bm.filter(kind="ngo").count() == 8
    assert bm.filter(name="Fundația Tu și Cu Mine").exists()
    assert User.objects.filter(is_demo=True).count() == 15
