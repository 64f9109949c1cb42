"""The API's rate limits count with a sliding-window counter (carenet/api/throttles.py): two small integers per
client, whatever the rate, and a refusal says how long to wait."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from carenet.api import throttles
from carenet.api.throttles import ClientAnonThrottle, ClientUserThrottle

TOO_MANY = 429


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: 10 s into a minute."""
    now = {"t": 60_000_010.0}
    monkeypatch.setattr(throttles._SlidingWindow, "timer", lambda self: now["t"])
    return now


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": "3/min",
            "anon": "3/min",
        },
    }


def _anonymous(address="198.51.100.20"):
    request = RequestFactory().get("/api/hsds/x/services", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def _allowed(throttle_class, request, view=None):
    throttle = throttle_class()
    return throttle.allow_request(request, view), throttle


def test_a_signed_in_caller_past_the_rate_is_refused_with_the_seconds_to_wait(api, caseworker_a, three_a_minute, clock):
    api.force_authenticate(caseworker_a)
    responses = [api.get("/api/v1/persons/") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, TOO_MANY, TOO_MANY]
    assert responses[-1]["Retry-After"] == "50"  # the rest of the minute: the count is this window's own


def test_the_previous_minute_weighs_less_as_the_minute_passes(db, three_a_minute, clock):
    request = _anonymous()
    assert all(_allowed(ClientAnonThrottle, request)[0] for _ in range(3))
    clock["t"] += 60  # 10 s into the next minute: the previous minute's 3 weigh 3 × 50/60 = 2.5
    assert _allowed(ClientAnonThrottle, request)[0]
    allowed, throttle = _allowed(ClientAnonThrottle, request)  # 2.5 + 1: the limit is reached
    assert not allowed
    assert throttle.wait() == pytest.approx(10.0)  # at 20 s they weigh 2, and 2 + 1 < 3
    clock["t"] += 10.5
    assert _allowed(ClientAnonThrottle, request)[0]
    assert not _allowed(ClientAnonThrottle, request)[0]


def test_two_minutes_later_the_count_starts_again(db, three_a_minute, clock):
    request = _anonymous()
    assert [_allowed(ClientAnonThrottle, request)[0] for _ in range(4)] == [True, True, True, False]
    clock["t"] += 120
    assert _allowed(ClientAnonThrottle, request)[0]


def test_callers_are_counted_apart(db, three_a_minute, clock):
    for _ in range(3):
        assert _allowed(ClientAnonThrottle, _anonymous("198.51.100.21"))[0]
    assert not _allowed(ClientAnonThrottle, _anonymous("198.51.100.21"))[0]
    assert _allowed(ClientAnonThrottle, _anonymous("198.51.100.22"))[0]


def test_the_count_is_one_small_integer_a_minute_whatever_the_rate(db, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "100000/min"},
    }
    request = _anonymous()
    for _ in range(500):
        allowed, throttle = _allowed(ClientAnonThrottle, request)
        assert allowed
    key = throttle.get_cache_key(request, None)
    assert cache.get(f"{key}:{int(clock['t'] // 60)}") == 500


def test_a_signed_in_caller_is_not_counted_as_anonymous(db, caseworker_a, three_a_minute, clock):
    request = _anonymous()
    request.user = caseworker_a
    assert all(_allowed(ClientAnonThrottle, request)[0] for _ in range(10))  # the user throttle counts them
    assert [_allowed(ClientUserThrottle, request)[0] for _ in range(4)] == [True, True, True, False]


def test_no_rate_means_no_limit(db, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": None},
    }
    assert all(_allowed(ClientAnonThrottle, _anonymous())[0] for _ in range(10))
