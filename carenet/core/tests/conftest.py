import os

import pytest
from django.db import connection

from carenet.core.db import citus


@pytest.fixture
def on_citus(db):  # type: ignore[no-untyped-def]
    """The test needs a Citus coordinator (the Citus leg of CI, scripts/citus_ci.sh). Elsewhere it is not
    run; with ``CARENET_REQUIRE_CITUS=1`` (the Citus leg sets it) a database without Citus fails it."""
    if not citus.is_citus(connection):
        message = "not a Citus coordinator (the Citus leg runs this: scripts/citus_ci.sh)"
        if os.environ.get("CARENET_REQUIRE_CITUS", "") not in ("", "0"):
            pytest.fail(message)
        pytest.skip(message)
