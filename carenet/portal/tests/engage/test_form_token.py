"""Issue 26, Low 10: the public forms' time-trap token is single-use."""

from django import forms

from carenet.portal.antispam import HumanCheckedForm


class _Form(HumanCheckedForm):
    text = forms.CharField()


def test_a_time_trap_token_is_accepted_once(settings):
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 0
    token = _Form().initial["form_started"]
    data = {"form_started": token, "website": "", "text": "hello"}
    assert _Form(data).is_valid()
    again = _Form(data)
    assert not again.is_valid()
    assert again.non_field_errors()


def test_a_form_refused_for_a_field_keeps_its_token(settings):
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 0
    token = _Form().initial["form_started"]
    assert not _Form({"form_started": token, "website": "", "text": ""}).is_valid()
    assert _Form({"form_started": token, "website": "", "text": "fixed"}).is_valid()
