import datetime

import pytest

from carenet.testing.language import english  # noqa: F401  (autouse: English messages)


@pytest.fixture
def schedule(baia_mare, balti):
    from carenet.privacy.services import retention_defaults_install

    retention_defaults_install(municipality=baia_mare, valid_from=datetime.date(2018, 5, 25))
    retention_defaults_install(municipality=balti, valid_from=datetime.date(2018, 5, 25))
    return baia_mare
