"""Every audit action code the code base writes has its own label; the log page shows labels, not codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from carenet.audit.actions import action_label, is_known_action, object_type_label, purpose_label
from carenet.audit.services import audit_record
from carenet.people.models import AccessPurpose
from carenet.plans.models import VersionKind
from carenet.portal.models import Moderated

ROOT = Path(__file__).resolve().parents[2]
# The literal codes, as `grep action="x.y"` finds them.
LITERAL = re.compile(r'action=f?"([a-z_0-9]+\.[a-z_.0-9]+)"')

# Codes built at run time: their possible values, from the code that builds them.
# ``audit_read`` logs "<model_name>.view" for the models passed to it (grep "audit_read(").
READ_MODELS = ["case", "caregiver", "carerequest", "helprequest", "person", "referral", "volunteer"]


def _source_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "tests" not in p.relative_to(ROOT).parts]


def _constants(node: ast.AST) -> set[str]:
    """The string constants an argument can take ("a" if x else "b" gives both); none of an f-string."""
    if isinstance(node, ast.JoinedStr):
        return set()
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        codes |= set(LITERAL.findall(text))
        if "audit_record" not in text and "log_step" not in text and "_record(" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            for kw in node.keywords:
                if name == "audit_record" and kw.arg == "action":
                    codes |= _constants(kw.value)
                # Wrappers that prefix the code: cases' "_record" (case.{action}), referrals' "log_step".
                elif name == "_record" and kw.arg == "action" and path.parts[-2:] == ("cases", "services.py"):
                    codes |= {f"case.{c}" for c in _constants(kw.value)}
                elif name == "log_step" and kw.arg == "kind":
                    codes |= {f"referral.{c}" for c in _constants(kw.value)}
    codes |= {f"plan.version.{kind}" for kind in VersionKind.values}
    codes |= {f"consultation.{m._meta.model_name}.hide" for m in apps.get_models() if issubclass(m, Moderated)}
    codes |= {f"{name}.view" for name in READ_MODELS}
    codes.add("export")  # audit_export
    return codes


def test_the_scan_finds_the_codes_of_the_code_base():
    codes = _codes_in_source()
    assert len(codes) > 250
    assert {"case.view", "auth.2fa_enrolled", "attendance.reject", "case.closure_reject", "referral.send"} <= codes
    assert {"plan.version.amendment", "consultation.idea.hide", "helprequest.view"} <= codes


def test_every_action_code_of_the_code_base_has_its_own_label():
    missing = sorted(code for code in _codes_in_source() if not is_known_action(code))
    assert missing == [], f"add these codes to carenet/audit/actions.py: {missing}"


def test_an_unknown_code_gets_a_generic_label_never_the_code():
    with translation.override("en"):
        assert action_label("case.view") == "Case · viewed"
        assert action_label("housing.contract.renew") == "Housing contract · renewed"
        assert action_label("canteen.demo.load") == "Canteen · demo data loaded"
        assert action_label("retired.thing") == "Other recorded action"
        assert action_label("") == "Other recorded action"
        assert object_type_label("people.person") == "Person"
        assert object_type_label("cases.case.list") == "Other record"


def test_the_audit_log_shows_the_label_in_the_readers_language(client, auditor, case_a, caseworker_a):
    audit_record(action="case.view", actor=caseworker_a, obj=case_a)
    client.force_login(auditor)
    html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    with translation.override("ro"):
        label = action_label("case.view")
        record = object_type_label("cases.case")
    assert label == "Caz · vizualizare"
    assert label in html and record in html
    visible = re.sub(r"<[^>]+>", " ", html)  # the filters' option values are codes; what is read is not
    assert "case.view" not in visible and "cases.case" not in visible


def test_a_purpose_code_reads_in_the_readers_language_and_a_persons_own_words_stay_as_typed():
    with translation.override("ro"):
        assert purpose_label("case_management") == "Gestionarea cazului"
        assert purpose_label("cover") == str(AccessPurpose.COVER.label)  # registered by the people app
        assert purpose_label("other: called by the police") == "Alt motiv: called by the police"
        assert purpose_label("checking the address with the family") == "checking the address with the family"
        assert purpose_label("") == ""


@pytest.mark.django_db
def test_the_action_filter_offers_kinds_of_records_in_the_readers_words(client, auditor, caseworker_a, baia_mare):
    audit_record(action="person.view", actor=caseworker_a, municipality=baia_mare, object_type="people.person")
    audit_record(action="case.view", actor=caseworker_a, municipality=baia_mare, object_type="cases.case")
    client.force_login(auditor)
    with translation.override("ro"):
        page = client.get("/audit/", {"action": "person."}, HTTP_ACCEPT_LANGUAGE="ro")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="person." selected>Persoană</option>' in html
    assert "Persoană · vizualizat" in html or "Persoană ·" in html
    assert "Caz ·" not in html.split("<tbody")[-1]  # the filter kept only the actions on persons
    assert ">person.<" not in html and 'value="person."' in html  # the code is only the option's value


@pytest.mark.django_db
def test_an_unknown_action_in_the_filter_is_refused_naming_the_field(client, auditor, english):
    client.force_login(auditor)
    page = client.get("/audit/", {"action": "<script>"})
    html = page.content.decode()
    assert page.status_code == 200
    error = html.split('id="id_action-error"')[1].split("</p>")[0]  # the message stands at the action field
    assert "Select a valid choice" in error


@pytest.mark.django_db
def test_an_anonymous_visitors_event_reads_as_such_in_the_readers_language(client, auditor, baia_mare):
    event = audit_record(action="auth.login_failed", actor=None, municipality=baia_mare)
    assert event.municipality_id == baia_mare.pk, (event.municipality_id, event.actor_label)
    client.force_login(auditor)
    html = client.get("/audit/").content.decode()
    body = html.split("<tbody")[-1]
    assert "Vizitator anonim" in body and "anonymous" not in body, body[:3000]


@pytest.mark.django_db
def test_the_record_type_filter_names_kinds_of_records_not_model_codes(client, auditor, caseworker_a, baia_mare):
    audit_record(action="person.view", actor=caseworker_a, municipality=baia_mare, object_type="people.person")
    audit_record(action="case.view", actor=caseworker_a, municipality=baia_mare, object_type="cases.case")
    client.force_login(auditor)
    html = client.get("/audit/", {"object_type": "people.person"}).content.decode()
    assert '<option value="people.person" selected>Persoană</option>' in html
    assert "Caz ·" not in html.split("<tbody")[-1]
