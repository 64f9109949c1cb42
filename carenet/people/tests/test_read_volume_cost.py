"""Issue 23: the read-volume check's cost does not grow with the pages the user read (a tally of the hour's
list reads in the shared cache answers "below the floor"; the audit log's exact count decides the alert), and the
alert keeps its meaning: once per user per hour, never missed because the cache was lost or contended."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_record
from carenet.people import services
from carenet.people.services import persons_read_record
from carenet.people.tests.conftest import make_person

pytestmark = pytest.mark.usefixtures("empty_cache")


def _ids(n):
    return [str(uuid.uuid4()) for _ in range(n)]


def _read(user, municipality, ids):
    return persons_read_record(actor=user, person_ids=ids, what="test.list", municipality=municipality)


def _alerts(user):
    return AuditEvent.objects.filter(action="person.read_volume_alert", object_id=str(user.pk))


def test_the_alert_fires_once_when_the_hour_passes_the_floor(caseworker_a, baia_mare, settings):
    settings.CARENET_READ_ALERT_FLOOR = 5
    first, second = _ids(3), _ids(3)
    _read(caseworker_a, baia_mare, first)
    _read(caseworker_a, baia_mare, first)  # the same persons again: still 3
    assert not _alerts(caseworker_a).exists()
    _read(caseworker_a, baia_mare, second)  # 6 distinct > max(caseload 0, floor 5)
    [alert] = _alerts(caseworker_a)
    assert alert.changes["persons_read"] == 6
    for _ in range(3):
        _read(caseworker_a, baia_mare, _ids(4))
    assert _alerts(caseworker_a).count() == 1


def test_a_cache_flush_does_not_suppress_the_alert(caseworker_a, baia_mare, settings):
    settings.CARENET_READ_ALERT_FLOOR = 5
    _read(caseworker_a, baia_mare, _ids(4))
    cache.clear()  # the tally is gone: the reads before it are only in the audit log
    _read(caseworker_a, baia_mare, _ids(2))
    [alert] = _alerts(caseworker_a)
    assert alert.changes["persons_read"] == 6


def test_a_flush_between_pages_below_the_floor_still_counts_them_all(caseworker_a, baia_mare, settings):
    settings.CARENET_READ_ALERT_FLOOR = 7
    _read(caseworker_a, baia_mare, _ids(3))
    _read(caseworker_a, baia_mare, _ids(3))
    cache.clear()
    _read(caseworker_a, baia_mare, _ids(1))  # the tally starts again from the audit log: 7, not yet above
    assert not _alerts(caseworker_a).exists()
    _read(caseworker_a, baia_mare, _ids(1))  # 8 > 7, counted by the reseeded tally
    assert _alerts(caseworker_a).get().changes["persons_read"] == 8


def test_a_tally_marked_stale_sends_the_check_to_the_exact_count(caseworker_a, baia_mare, settings):
    """A stale mark (written by the versions whose tally had a lock of its own, during a rolling deploy): the audit
    log decides until the mark expires."""
    settings.CARENET_READ_ALERT_FLOOR = 5
    _read(caseworker_a, baia_mare, _ids(3))
    key, stale = services._tally_keys(actor=caseworker_a, municipality=baia_mare.pk)
    cache.set(key, {"from": 0.0, "ids": {}}, timeout=60)  # a tally that lost the first reads
    cache.set(stale, True, timeout=60)
    _read(caseworker_a, baia_mare, _ids(3))  # the tally alone says 3, the audit log 6
    assert _alerts(caseworker_a).get().changes["persons_read"] == 6


def test_a_rolled_back_read_leaves_neither_its_event_nor_its_tally(caseworker_a, baia_mare, settings, monkeypatch):
    """The tally is written in the read's transaction, under the chain's lock: with the database cache it rolls
    back with the event (with Redis it keeps the ids: too many, never too few)."""
    settings.CARENET_READ_ALERT_FLOOR = 100
    from django.core.cache.backends.db import DatabaseCache

    db_cache = DatabaseCache("carenet_cache", {})
    monkeypatch.setattr("django.core.cache.cache", db_cache)
    _read(caseworker_a, baia_mare, _ids(2))
    key, _stale = services._tally_keys(actor=caseworker_a, municipality=baia_mare.pk)
    before = db_cache.get(key)
    assert len(before["ids"]) == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        _read(caseworker_a, baia_mare, _ids(3))
        assert len(db_cache.get(key)["ids"]) == 5
        raise RuntimeError("the response failed")
    assert db_cache.get(key) == before
    assert AuditEvent.objects.filter(actor=caseworker_a, action="person.list_view").count() == 1
    db_cache.clear()


def test_the_same_persons_read_again_cost_no_tally_write_and_still_count(caseworker_a, baia_mare, settings):
    settings.CARENET_READ_ALERT_FLOOR = 5
    page = _ids(3)
    _read(caseworker_a, baia_mare, page)
    _read(caseworker_a, baia_mare, page)  # the tally is complete from here
    key, _stale = services._tally_keys(actor=caseworker_a, municipality=baia_mare.pk)
    stored = cache.get(key)
    _read(caseworker_a, baia_mare, page)
    assert cache.get(key) == stored  # within the slack: not written again
    assert not _alerts(caseworker_a).exists()
    _read(caseworker_a, baia_mare, _ids(3))
    assert _alerts(caseworker_a).get().changes["persons_read"] == 6


def test_a_person_read_again_within_the_slack_is_counted_for_the_whole_hour_after(
    caseworker_a, baia_mare, settings, monkeypatch
):
    """Not written again, a person keeps the time of the earlier read: the count takes the hour and the slack, so
    the re-read one still counts until an hour after it (too many for a while, never too few)."""
    import datetime

    from django.utils import timezone

    settings.CARENET_READ_ALERT_FLOOR = 3
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    page = _ids(2)
    _read(caseworker_a, baia_mare, page)
    clock["now"] = start + datetime.timedelta(seconds=services._TALLY_SLACK - 1)
    _read(caseworker_a, baia_mare, page)  # within the slack: the tally keeps the first time
    # an hour after the first read, a minute before the hour after the second: both still read "in the hour"
    clock["now"] = start + datetime.timedelta(hours=1, seconds=services._TALLY_SLACK - 60)
    _read(caseworker_a, baia_mare, _ids(2))  # 2 + 2 = 4 > 3
    assert _alerts(caseworker_a).get().changes["persons_read"] == 4


def test_persons_opened_one_by_one_count_with_the_lists(caseworker_a, baia_mare, settings):
    settings.CARENET_READ_ALERT_FLOOR = 5
    _read(caseworker_a, baia_mare, _ids(3))  # seeds the tally
    for pid in _ids(2):
        audit_record(
            action="person.view", actor=caseworker_a, municipality=baia_mare, object_type="people.person", object_id=pid
        )
    _read(caseworker_a, baia_mare, _ids(1))  # 3 listed + 2 opened + 1 = 6
    assert _alerts(caseworker_a).get().changes["persons_read"] == 6


def _queries_of_one_more_page(user, municipality, earlier_pages, page_size=20):
    for _ in range(earlier_pages):
        _read(user, municipality, _ids(page_size))
    with CaptureQueriesContext(connection) as ctx:
        _read(user, municipality, _ids(page_size))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("floor", [100_000, 5], ids=["below-the-floor", "alert-already-raised"])
def test_a_pages_queries_do_not_grow_with_the_pages_read_before(caseworker_a, caseworker_b, baia_mare, settings, floor):
    settings.CARENET_READ_ALERT_FLOOR = floor
    after_one = _queries_of_one_more_page(caseworker_a, baia_mare, 1)
    after_fifty = _queries_of_one_more_page(caseworker_b, baia_mare, 50)
    assert after_one == after_fifty
    # and the check read no event of the hour: its one audit query is the alert's, or the persons opened one by one
    assert AuditEvent.objects.filter(actor=caseworker_b, action="person.list_view").count() == 51


def test_the_persons_list_page_costs_the_same_after_fifty_pages(
    client, caseworker_a, supervisor_a, baia_mare, org_a, settings
):
    settings.CARENET_READ_ALERT_FLOOR = 100_000
    for i in range(3):
        make_person(baia_mare, org_a, first=f"Ion{i}", last="Rusu", born=None)
    counts = []
    for user, earlier in ((caseworker_a, 1), (supervisor_a, 50)):
        for _ in range(earlier):
            _read(user, baia_mare, _ids(50))
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/people/?q=Rusu").status_code == 200
        counts.append(len(ctx.captured_queries))
        [page] = AuditEvent.objects.filter(actor=user, object_type="people.person.search")
        assert len(page.changes["subject_ids"]) == 3
    assert counts[0] == counts[1]


def test_past_the_cap_the_tally_keeps_no_ids_and_the_alert_still_fires(caseworker_a, baia_mare, settings, monkeypatch):
    settings.CARENET_READ_ALERT_FLOOR = 5
    monkeypatch.setattr(services, "_TALLY_CAP", 4)
    monkeypatch.setattr(services, "_tally_cap", lambda: 4)
    _read(caseworker_a, baia_mare, _ids(3))
    _read(caseworker_a, baia_mare, _ids(2))  # 5 > cap 4: "over", not above the floor yet
    key, _stale = services._tally_keys(actor=caseworker_a, municipality=baia_mare.pk)
    assert cache.get(key)["over"] and cache.get(key)["ids"] == {}
    assert not _alerts(caseworker_a).exists()
    _read(caseworker_a, baia_mare, _ids(1))
    assert _alerts(caseworker_a).get().changes["persons_read"] == 6
