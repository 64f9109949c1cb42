"""Readable labels for the audit log's action codes and record types, in the reader's language.

The log stores codes ("case.view", "housing.contract.renew"): no raw code reaches a page. A label is composed
from the record ("Housing contract") and what was done ("renewed"), so the catalogue stays small; the few
codes whose composition reads badly have their own label. Composition: the last segment (or the last two,
"demo.load") names the action, the segments before it the record, matched at their full length first, then
at the first segment ("canteen.aid" before "canteen").

A code the code base never writes (an old event) gets a generic label, never the code itself: the test
``carenet/audit/tests/test_action_labels.py`` fails when a code written in the code base has no label.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The record an action is about, by the code's leading segments.
OBJECTS = {
    "accessibility": gettext_lazy("Accessibility details"),
    "activities": gettext_lazy("Activities"),
    "activity": gettext_lazy("Activity"),
    "activity.age_band": gettext_lazy("Activity age band"),
    "activity.kind": gettext_lazy("Activity kind"),
    "agreement": gettext_lazy("Agreement"),
    "api_token": gettext_lazy("API token"),
    "application": gettext_lazy("Application"),
    "area": gettext_lazy("Areas"),
    "attendance": gettext_lazy("Attendance"),
    "audit": gettext_lazy("Audit log"),
    "auth": gettext_lazy("Account access"),
    "booking": gettext_lazy("Booking"),
    "campaign": gettext_lazy("Campaign"),
    "campaign.centre": gettext_lazy("Campaign centre"),
    "campaign.heat_layer": gettext_lazy("Heat map layer"),
    "campaign.register": gettext_lazy("Campaign register"),
    "campaign.rule": gettext_lazy("Campaign rule"),
    "campaign.settings": gettext_lazy("Campaign settings"),
    "canteen": gettext_lazy("Canteen"),
    "canteen.aid": gettext_lazy("Food aid"),
    "canteen.application": gettext_lazy("Canteen application"),
    "canteen.card": gettext_lazy("Canteen card"),
    "canteen.decision": gettext_lazy("Canteen decision"),
    "canteen.list": gettext_lazy("Canteen list"),
    "canteen.meal": gettext_lazy("Canteen meal"),
    "canteen.rules": gettext_lazy("Canteen rules"),
    "canteen.unit": gettext_lazy("Canteen unit"),
    "care": gettext_lazy("Home care"),
    "care_request": gettext_lazy("Care request"),
    "carerequest": gettext_lazy("Care request"),  # audit_read: the model name
    "caregiver": gettext_lazy("Caregiver"),
    "case": gettext_lazy("Case"),
    "case.transfer": gettext_lazy("Case transfer"),
    "certificate": gettext_lazy("Certificate"),
    "complaint": gettext_lazy("Complaint"),
    "consent": gettext_lazy("Consent"),
    "consultation": gettext_lazy("Consultation"),
    "consultation.consultationcomment": gettext_lazy("Consultation comment"),
    "consultation.idea": gettext_lazy("Consultation idea"),
    "delivery": gettext_lazy("Service delivery"),
    "directory": gettext_lazy("Service directory"),
    "directory.location": gettext_lazy("Service location"),
    "directory.schedule": gettext_lazy("Service schedule"),
    "directory.service": gettext_lazy("Service"),
    "document_template": gettext_lazy("Document template"),
    "feedback": gettext_lazy("Feedback"),
    "help_request": gettext_lazy("Help request"),
    "helprequest": gettext_lazy("Help request"),  # audit_read: the model name
    "household": gettext_lazy("Household"),
    "housing": gettext_lazy("Housing"),
    "housing.appeal": gettext_lazy("Housing appeal"),
    "housing.application": gettext_lazy("Housing application"),
    "housing.cold_night": gettext_lazy("Cold night"),
    "housing.consumption": gettext_lazy("Utility consumption"),
    "housing.contract": gettext_lazy("Housing contract"),
    "housing.dwelling": gettext_lazy("Dwelling"),
    "housing.grid": gettext_lazy("Scoring grid"),
    "housing.list": gettext_lazy("Housing list"),
    "housing.offer": gettext_lazy("Housing offer"),
    "housing.rent": gettext_lazy("Rent"),
    "housing.stay": gettext_lazy("Shelter stay"),
    "housing.visit": gettext_lazy("Housing visit"),
    "housing.waiting": gettext_lazy("Waiting list"),
    "linkage": gettext_lazy("Record linkage"),
    "media": gettext_lazy("Media"),
    "membership": gettext_lazy("Membership"),
    "news": gettext_lazy("News item"),
    "opportunity": gettext_lazy("Volunteering opportunity"),
    "outside_value": gettext_lazy("Figure from outside CareNet"),
    "person": gettext_lazy("Person"),
    "plan": gettext_lazy("Plan"),
    "plan.indicator": gettext_lazy("Plan indicator"),
    "plan.period": gettext_lazy("Reporting period"),
    "plan.submission": gettext_lazy("Progress report"),
    "plan.version": gettext_lazy("Plan version"),
    "points": gettext_lazy("Points"),
    "population": gettext_lazy("Population figures"),
    "privacy": gettext_lazy("Privacy"),
    "rating": gettext_lazy("Rating"),
    "recommendation": gettext_lazy("Recommendation"),
    "redemption": gettext_lazy("Reward redemption"),
    "referral": gettext_lazy("Referral"),
    "reward": gettext_lazy("Reward"),
    "routing": gettext_lazy("Routing rule"),
    "staff": gettext_lazy("Staff member"),
    "subplan": gettext_lazy("Sub-plan"),
    "subplan.indicator": gettext_lazy("Sub-plan indicator"),
    "survey": gettext_lazy("Survey"),
    "training": gettext_lazy("Training"),
    "training.case": gettext_lazy("Training case"),
    "training.certificate": gettext_lazy("Training certificate"),
    "training.company": gettext_lazy("Company"),
    "training.course": gettext_lazy("Course"),
    "training.cv": gettext_lazy("CV"),
    "training.enrolment": gettext_lazy("Enrolment"),
    "training.job_fair": gettext_lazy("Job fair"),
    "training.placement": gettext_lazy("Job placement"),
    "training.room": gettext_lazy("Training room"),
    "training.room_offer": gettext_lazy("Room offer"),
    "training.rules": gettext_lazy("Training rules"),
    "training.session": gettext_lazy("Training session"),
    "user": gettext_lazy("User account"),
    "visit": gettext_lazy("Visit"),
    "volunteer": gettext_lazy("Volunteer"),
    "volunteering": gettext_lazy("Volunteering"),
}

# What was done, by the code's last segment (or last two): past participles, "Case · viewed".
ACTIONS = {
    "2fa_enrolled": gettext_lazy("two-step verification set up"),
    "2fa_failed": gettext_lazy("two-step verification failed"),
    "2fa_replaced": gettext_lazy("two-step verification replaced"),
    "2fa_verified": gettext_lazy("two-step verification passed"),
    "accept": gettext_lazy("accepted"),
    "access_report": gettext_lazy("access report viewed"),
    "add": gettext_lazy("added"),
    "add_member": gettext_lazy("member added"),
    "admit": gettext_lazy("admitted"),
    "allocate": gettext_lazy("allocated"),
    "amendment": gettext_lazy("amendment recorded"),
    "anonymise": gettext_lazy("anonymised"),
    "answer": gettext_lazy("answered"),
    "approval": gettext_lazy("approval recorded"),
    "approve": gettext_lazy("approved"),
    "assess": gettext_lazy("assessed"),
    "assessment": gettext_lazy("assessment recorded"),
    "attendance": gettext_lazy("attendance recorded"),
    "award": gettext_lazy("awarded"),
    "background_check": gettext_lazy("background check recorded"),
    "browse": gettext_lazy("browsed"),
    "cancel": gettext_lazy("cancelled"),
    "check_in": gettext_lazy("checked in"),
    "checkin": gettext_lazy("checked in"),
    "check_out": gettext_lazy("checked out"),
    "choose": gettext_lazy("chosen"),
    "close": gettext_lazy("closed"),
    "closure_reject": gettext_lazy("closure refused"),
    "closure_request": gettext_lazy("closure requested"),
    "comment": gettext_lazy("comment added"),
    "complete": gettext_lazy("completed"),
    "confirm": gettext_lazy("confirmed"),
    "consent_withdrawn": gettext_lazy("consent withdrawn"),
    "contract": gettext_lazy("contract recorded"),
    "create": gettext_lazy("created"),
    "criterion_add": gettext_lazy("criterion added"),
    "deadline_set": gettext_lazy("deadline set"),
    "decide": gettext_lazy("decided"),
    "declare": gettext_lazy("declared"),
    "decline": gettext_lazy("declined"),
    "deduplicate_start": gettext_lazy("duplicate search started"),
    "delete": gettext_lazy("deleted"),
    "deliver": gettext_lazy("delivered"),
    "demo_load": gettext_lazy("demo data loaded"),
    "demo.load": gettext_lazy("demo data loaded"),
    "document": gettext_lazy("document added"),
    "document_add": gettext_lazy("document added"),
    "document_view": gettext_lazy("document viewed"),
    "download": gettext_lazy("downloaded"),
    "draw": gettext_lazy("drawn"),
    "dropout": gettext_lazy("dropout recorded"),
    "duplicate_override": gettext_lazy("duplicate warning overridden"),
    "duty": gettext_lazy("monitoring duty added"),
    "emergency_override": gettext_lazy("consent rule overridden in an emergency"),
    "end": gettext_lazy("ended"),
    "escalate": gettext_lazy("escalated"),
    "expire": gettext_lazy("expired"),
    "file": gettext_lazy("filed"),
    "first_contact": gettext_lazy("first contact recorded"),
    "follow_up": gettext_lazy("followed up"),
    "generate": gettext_lazy("generated"),
    "give": gettext_lazy("given"),
    "grant": gettext_lazy("granted"),
    "hide": gettext_lazy("hidden"),
    "hold_lift": gettext_lazy("hold lifted"),
    "hold_place": gettext_lazy("hold placed"),
    "idea": gettext_lazy("idea added"),
    "import": gettext_lazy("imported"),
    "inquiry": gettext_lazy("social inquiry recorded"),
    "invite": gettext_lazy("invitation sent"),
    "invites": gettext_lazy("invitations sent"),
    "issue": gettext_lazy("issued"),
    "kit": gettext_lazy("kit handed out"),
    "leave": gettext_lazy("leave recorded"),
    "link_location": gettext_lazy("location linked"),
    "list_view": gettext_lazy("viewed in a list"),
    "load": gettext_lazy("loaded"),
    "lock": gettext_lazy("locked"),
    "login": gettext_lazy("signed in"),
    "login_failed": gettext_lazy("sign-in failed"),
    "logout": gettext_lazy("signed out"),
    "make": gettext_lazy("made"),
    "merge": gettext_lazy("merged"),
    "merged_away": gettext_lazy("merged into another record"),
    "not_same": gettext_lazy("marked as a different person"),
    "note": gettext_lazy("note added"),
    "open": gettext_lazy("opened"),
    "open_case": gettext_lazy("case opened by the receiving provider"),
    "participant": gettext_lazy("participant added"),
    "participants": gettext_lazy("participants changed"),
    "password_change": gettext_lazy("password changed"),
    "person_merge": gettext_lazy("moved to the kept record of the person"),
    "plan_action": gettext_lazy("plan action added"),
    "plan_approve": gettext_lazy("plan approved"),
    "plan_create": gettext_lazy("plan created"),
    "plan_submit": gettext_lazy("plan submitted"),
    "portal": gettext_lazy("enrolled on the portal"),
    "promote": gettext_lazy("promoted from the waiting list"),
    "publish": gettext_lazy("published"),
    "question_add": gettext_lazy("question added"),
    "read_volume_alert": gettext_lazy("unusual number of reads flagged"),
    "rebuild": gettext_lazy("rebuilt"),
    "receive": gettext_lazy("received"),
    "record": gettext_lazy("recorded"),
    "redeem": gettext_lazy("redeemed"),
    "refuse": gettext_lazy("refused"),
    "reject": gettext_lazy("rejected"),
    "remind": gettext_lazy("reminder sent"),
    "remove": gettext_lazy("removed"),
    "renew": gettext_lazy("renewed"),
    "renewal_reminder": gettext_lazy("renewal reminder sent"),
    "reopen": gettext_lazy("reopened"),
    "reply": gettext_lazy("replied to"),
    "request_decide": gettext_lazy("request decided"),
    "request_register": gettext_lazy("request registered"),
    "reroute": gettext_lazy("sent to another service"),
    "resolve": gettext_lazy("resolved"),
    "response_time_set": gettext_lazy("response time set"),
    "retention_run": gettext_lazy("retention run carried out"),
    "return": gettext_lazy("returned"),
    "revoke": gettext_lazy("revoked"),
    "rule_add": gettext_lazy("rule added"),
    "save": gettext_lazy("saved"),
    "scan_view": gettext_lazy("scan viewed"),
    "schedule_defaults": gettext_lazy("default schedule applied"),
    "score": gettext_lazy("scored"),
    "season": gettext_lazy("season set up"),
    "seed": gettext_lazy("defaults loaded"),
    "send": gettext_lazy("sent"),
    "sensitive_update": gettext_lazy("special-category data updated"),
    "session": gettext_lazy("session added"),
    "session_end": gettext_lazy("session ended"),
    "set": gettext_lazy("set"),
    "settings": gettext_lazy("settings changed"),
    "sign": gettext_lazy("signed"),
    "sign_up": gettext_lazy("signed up"),
    "slots": gettext_lazy("availability changed"),
    "source": gettext_lazy("source set"),
    "sources": gettext_lazy("sources set"),
    "start": gettext_lazy("started"),
    "status": gettext_lazy("status changed"),
    "subject_access": gettext_lazy("subject-access export produced"),
    "submit": gettext_lazy("submitted"),
    "take_up": gettext_lazy("taken up"),
    "target": gettext_lazy("target set"),
    "task": gettext_lazy("task added"),
    "task_done": gettext_lazy("task done"),
    "terminate": gettext_lazy("terminated"),
    "training": gettext_lazy("training recorded"),
    "transfer": gettext_lazy("transferred"),
    "unlock_by_email": gettext_lazy("unlocked by email"),
    "unpublish": gettext_lazy("unpublished"),
    "update": gettext_lazy("updated"),
    "use": gettext_lazy("used"),
    "verify": gettext_lazy("verified"),
    "view": gettext_lazy("viewed"),
    "visit": gettext_lazy("visit recorded"),
    "visits": gettext_lazy("visits recorded"),
    "withdraw": gettext_lazy("withdrawn"),
}

# Whole codes whose composition reads badly or that have no record segment.
OVERRIDES = {
    "export": gettext_lazy("Data exported"),
}


def _object(head: str) -> str | None:
    label = OBJECTS.get(head) or OBJECTS.get(head.split(".")[0])
    return str(label) if label is not None else None


def action_label(code: str) -> str:
    """The action of an audit event as the reader says it: "case.view" → "Case · viewed"."""
    if code in OVERRIDES:
        return str(OVERRIDES[code])
    parts = code.split(".")
    for n in (2, 1):
        if len(parts) <= n:
            continue
        action = ACTIONS.get(".".join(parts[-n:]))
        obj = _object(".".join(parts[:-n]))
        if action is not None and obj is not None:
            return _("%(object)s · %(action)s") % {"object": obj, "action": action}
    return _("Other recorded action")


def is_known_action(code: str) -> bool:
    """Whether the code has its own label (the test holds every code of the code base to it)."""
    return action_label(code) != _("Other recorded action")


def object_type_label(object_type: str) -> str:
    """The record type of an audit event: a model label ("people.person") gives the model's name."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        # Not a model: a list, a page or an export named by the code that logged it.
        return _("Other record")
    return str(capfirst(model._meta.verbose_name))


# Why a record was read, by the code a caller stored in the purpose column. Apps add their own (the people
# app its access purposes) from ``AppConfig.ready``; anything else is a person's own words, shown as typed.
PURPOSES: dict[str, object] = {
    "api": gettext_lazy("Read through the API"),
    "care.matching": gettext_lazy("Matching care"),
    "case_management": gettext_lazy("Case management"),
    "edit": gettext_lazy("Editing the record"),
    "form": gettext_lazy("Printing a form"),
    "merge": gettext_lazy("Merging duplicate records"),
    "open data": gettext_lazy("Open data publication"),
    "portal.help_request": gettext_lazy("A help request from the portal"),
    "privacy": gettext_lazy("Data protection request"),
    "rectification": gettext_lazy("Rectification requested by the person"),
    "referral": gettext_lazy("A referral"),
    "sharing": gettext_lazy("Sharing with another provider"),
    "special-category data": gettext_lazy("Reading special-category data"),
    "subject_access": gettext_lazy("The person's access request"),
    "triage": gettext_lazy("Triage of a help request"),
    "volunteering.coordinate": gettext_lazy("Coordinating volunteers"),
    "volunteering.organise": gettext_lazy("Organising volunteering"),
}
OTHER_PURPOSE = "other"


def register_purposes(labels: dict[str, object]) -> None:
    PURPOSES.update(labels)


def purpose_label(purpose: str) -> str:
    """The purpose of an audit event as the reader says it; words a person typed stay as typed."""
    if not purpose:
        return ""
    if purpose in PURPOSES:
        return str(PURPOSES[purpose])
    code, sep, words = purpose.partition(": ")
    if sep and code == OTHER_PURPOSE:
        return _("Another reason: %(words)s") % {"words": words}
    return purpose
