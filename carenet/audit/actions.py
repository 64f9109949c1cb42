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
from django.utils.translation import pgettext, pgettext_lazy

# The record an action is about, by the code's leading segments.
OBJECTS = {
    "accessibility": pgettext_lazy("audit record", "Accessibility details"),
    "activities": pgettext_lazy("audit record", "Activities"),
    "activity": pgettext_lazy("audit record", "Activity"),
    "activity.age_band": pgettext_lazy("audit record", "Activity age band"),
    "activity.kind": pgettext_lazy("audit record", "Activity kind"),
    "agreement": pgettext_lazy("audit record", "Agreement"),
    "api_token": pgettext_lazy("audit record", "API token"),
    "application": pgettext_lazy("audit record", "Application"),
    "area": pgettext_lazy("audit record", "Areas"),
    "attendance": pgettext_lazy("audit record", "Attendance"),
    "audit": pgettext_lazy("audit record", "Audit log"),
    "auth": pgettext_lazy("audit record", "Account access"),
    "backup": pgettext_lazy("audit record", "Backup"),
    "booking": pgettext_lazy("audit record", "Booking"),
    "campaign": pgettext_lazy("audit record", "Campaign"),
    "campaign.centre": pgettext_lazy("audit record", "Campaign centre"),
    "campaign.heat_layer": pgettext_lazy("audit record", "Heat map layer"),
    "campaign.messages": pgettext_lazy("audit record", "Campaign SMS and automated calls"),
    "campaign.register": pgettext_lazy("audit record", "Campaign register"),
    "campaign.rule": pgettext_lazy("audit record", "Campaign rule"),
    "campaign.settings": pgettext_lazy("audit record", "Campaign settings"),
    "canteen": pgettext_lazy("audit record", "Canteen"),
    "canteen.aid": pgettext_lazy("audit record", "Food aid"),
    "canteen.application": pgettext_lazy("audit record", "Canteen application"),
    "canteen.card": pgettext_lazy("audit record", "Canteen card"),
    "canteen.contribution": pgettext_lazy("audit record", "Canteen contribution"),
    "canteen.decision": pgettext_lazy("audit record", "Canteen decision"),
    "canteen.list": pgettext_lazy("audit record", "Canteen list"),
    "canteen.meal": pgettext_lazy("audit record", "Canteen meal"),
    "canteen.round": pgettext_lazy("audit record", "Delivery round"),
    "canteen.rules": pgettext_lazy("audit record", "Canteen rules"),
    "canteen.unit": pgettext_lazy("audit record", "Canteen unit"),
    "care": pgettext_lazy("audit record", "Home care"),
    "care_request": pgettext_lazy("audit record", "Care request"),
    "carerequest": pgettext_lazy("audit record", "Care request"),  # audit_read: the model name
    "caregiver": pgettext_lazy("audit record", "Caregiver"),
    "case": pgettext_lazy("audit record", "Case"),
    "case.transfer": pgettext_lazy("audit record", "Case transfer"),
    "certificate": pgettext_lazy("audit record", "Certificate"),
    "complaint": pgettext_lazy("audit record", "Complaint"),
    "consent": pgettext_lazy("audit record", "Consent"),
    "consultation": pgettext_lazy("audit record", "Consultation"),
    "consultation.consultationcomment": pgettext_lazy("audit record", "Consultation comment"),
    "cover": pgettext_lazy("audit record", "Visit cover"),
    "consultation.idea": pgettext_lazy("audit record", "Consultation idea"),
    "consultation.rules": pgettext_lazy("audit record", "Consultation rules"),
    "delivery": pgettext_lazy("audit record", "Service delivery"),
    "directory": pgettext_lazy("audit record", "Service directory"),
    "directory.import": pgettext_lazy("audit record", "HSDS import"),
    "directory.location": pgettext_lazy("audit record", "Service location"),
    "directory.pull": pgettext_lazy("audit record", "HSDS feed pull"),
    "directory.push": pgettext_lazy("audit record", "HSDS feed push"),
    "directory.push_target": pgettext_lazy("audit record", "HSDS push target"),
    "directory.schedule": pgettext_lazy("audit record", "Service schedule"),
    "directory.service": pgettext_lazy("audit record", "Service"),
    "directory.source": pgettext_lazy("audit record", "HSDS feed source"),
    "document_template": pgettext_lazy("audit record", "Document template"),
    "feedback": pgettext_lazy("audit record", "Feedback"),
    "help_request": pgettext_lazy("audit record", "Help request"),
    "helprequest": pgettext_lazy("audit record", "Help request"),  # audit_read: the model name
    "household": pgettext_lazy("audit record", "Household"),
    "housing": pgettext_lazy("audit record", "Housing"),
    "housing.appeal": pgettext_lazy("audit record", "Housing appeal"),
    "housing.application": pgettext_lazy("audit record", "Housing application"),
    "housing.cold_night": pgettext_lazy("audit record", "Cold night"),
    "housing.consumption": pgettext_lazy("audit record", "Utility consumption"),
    "housing.contract": pgettext_lazy("audit record", "Housing contract"),
    "housing.dwelling": pgettext_lazy("audit record", "Dwelling"),
    "housing.grid": pgettext_lazy("audit record", "Scoring grid"),
    "housing.list": pgettext_lazy("audit record", "Housing list"),
    "housing.offer": pgettext_lazy("audit record", "Housing offer"),
    "housing.rent": pgettext_lazy("audit record", "Rent"),
    "housing.stay": pgettext_lazy("audit record", "Shelter stay"),
    "housing.visit": pgettext_lazy("audit record", "Housing visit"),
    "housing.waiting": pgettext_lazy("audit record", "Waiting list"),
    "job": pgettext_lazy("audit record", "Background job"),
    "linkage": pgettext_lazy("audit record", "Record linkage"),
    "media": pgettext_lazy("audit record", "Media"),
    "membership": pgettext_lazy("audit record", "Membership"),
    "municipality": pgettext_lazy("audit record", "Municipality"),
    "news": pgettext_lazy("audit record", "News item"),
    "onboarding.organisations": pgettext_lazy("audit record", "Organisations file (onboarding)"),
    "onboarding.services": pgettext_lazy("audit record", "Services file (onboarding)"),
    "onboarding.users": pgettext_lazy("audit record", "Staff file (onboarding)"),
    "opportunity": pgettext_lazy("audit record", "Volunteering opportunity"),
    "outside_value": pgettext_lazy("audit record", "Figure from outside CareNet"),
    "person": pgettext_lazy("audit record", "Person"),
    "plan": pgettext_lazy("audit record", "Plan"),
    "plan.indicator": pgettext_lazy("audit record", "Plan indicator"),
    "plan.period": pgettext_lazy("audit record", "Reporting period"),
    "plan.submission": pgettext_lazy("audit record", "Progress report"),
    "plan.version": pgettext_lazy("audit record", "Plan version"),
    "points": pgettext_lazy("audit record", "Points"),
    "population": pgettext_lazy("audit record", "Population figures"),
    "privacy": pgettext_lazy("audit record", "Privacy"),
    "rating": pgettext_lazy("audit record", "Rating"),
    "recommendation": pgettext_lazy("audit record", "Recommendation"),
    "redemption": pgettext_lazy("audit record", "Reward redemption"),
    "referral": pgettext_lazy("audit record", "Referral"),
    "reward": pgettext_lazy("audit record", "Reward"),
    "routing": pgettext_lazy("audit record", "Routing rule"),
    "staff": pgettext_lazy("audit record", "Staff member"),
    "subplan": pgettext_lazy("audit record", "Sub-plan"),
    "subplan.indicator": pgettext_lazy("audit record", "Sub-plan indicator"),
    "survey": pgettext_lazy("audit record", "Survey"),
    "training": pgettext_lazy("audit record", "Training"),
    "training.case": pgettext_lazy("audit record", "Training case"),
    "training.certificate": pgettext_lazy("audit record", "Training certificate"),
    "training.company": pgettext_lazy("audit record", "Company"),
    "training.course": pgettext_lazy("audit record", "Course"),
    "training.cv": pgettext_lazy("audit record", "CV"),
    "training.enrolment": pgettext_lazy("audit record", "Enrolment"),
    "training.job_fair": pgettext_lazy("audit record", "Job fair"),
    "training.placement": pgettext_lazy("audit record", "Job placement"),
    "training.room": pgettext_lazy("audit record", "Training room"),
    "training.room_offer": pgettext_lazy("audit record", "Room offer"),
    "training.rules": pgettext_lazy("audit record", "Training rules"),
    "training.session": pgettext_lazy("audit record", "Training session"),
    "user": pgettext_lazy("audit record", "User account"),
    "visit": pgettext_lazy("audit record", "Visit"),
    "volunteer": pgettext_lazy("audit record", "Volunteer"),
    "volunteering": pgettext_lazy("audit record", "Volunteering"),
}

# What was done, by the code's last segment (or last two): past participles, "Case · viewed".
ACTIONS = {
    "2fa_enrolled": pgettext_lazy("audit action", "two-step verification set up"),
    "2fa_failed": pgettext_lazy("audit action", "two-step verification failed"),
    "2fa_replaced": pgettext_lazy("audit action", "two-step verification replaced"),
    "2fa_verified": pgettext_lazy("audit action", "two-step verification passed"),
    "absent": pgettext_lazy("audit action", "nobody at home"),
    "accept": pgettext_lazy("audit action", "accepted"),
    "access_report": pgettext_lazy("audit action", "access report viewed"),
    "add": pgettext_lazy("audit action", "added"),
    "add_member": pgettext_lazy("audit action", "member added"),
    "admit": pgettext_lazy("audit action", "admitted"),
    "allocate": pgettext_lazy("audit action", "allocated"),
    "amendment": pgettext_lazy("audit action", "amendment recorded"),
    "anonymise": pgettext_lazy("audit action", "anonymised"),
    "answer": pgettext_lazy("audit action", "answered"),
    "approval": pgettext_lazy("audit action", "approval recorded"),
    "apply": pgettext_lazy("audit action", "applied"),
    "approve": pgettext_lazy("audit action", "approved"),
    "assess": pgettext_lazy("audit action", "assessed"),
    "assessment": pgettext_lazy("audit action", "assessment recorded"),
    "attendance": pgettext_lazy("audit action", "attendance recorded"),
    "award": pgettext_lazy("audit action", "awarded"),
    "background_check": pgettext_lazy("audit action", "background check recorded"),
    "browse": pgettext_lazy("audit action", "browsed"),
    "cancel": pgettext_lazy("audit action", "cancelled"),
    "check_in": pgettext_lazy("audit action", "checked in"),
    "checkin": pgettext_lazy("audit action", "checked in"),
    "check_out": pgettext_lazy("audit action", "checked out"),
    "choose": pgettext_lazy("audit action", "chosen"),
    "close": pgettext_lazy("audit action", "closed"),
    "closure_reject": pgettext_lazy("audit action", "closure refused"),
    "closure_request": pgettext_lazy("audit action", "closure requested"),
    "comment": pgettext_lazy("audit action", "comment added"),
    "complete": pgettext_lazy("audit action", "completed"),
    "confirm": pgettext_lazy("audit action", "confirmed"),
    "consent_withdrawn": pgettext_lazy("audit action", "consent withdrawn"),
    "contract": pgettext_lazy("audit action", "contract recorded"),
    "create": pgettext_lazy("audit action", "created"),
    "criterion_add": pgettext_lazy("audit action", "criterion added"),
    "deadline_set": pgettext_lazy("audit action", "deadline set"),
    "decide": pgettext_lazy("audit action", "decided"),
    "declare": pgettext_lazy("audit action", "declared"),
    "decline": pgettext_lazy("audit action", "declined"),
    "deduplicate_start": pgettext_lazy("audit action", "duplicate search started"),
    "delete": pgettext_lazy("audit action", "deleted"),
    "deliver": pgettext_lazy("audit action", "delivered"),
    "demo_load": pgettext_lazy("audit action", "demo data loaded"),
    "demo.load": pgettext_lazy("audit action", "demo data loaded"),
    "document": pgettext_lazy("audit action", "document added"),
    "document_add": pgettext_lazy("audit action", "document added"),
    "document_view": pgettext_lazy("audit action", "document viewed"),
    "download": pgettext_lazy("audit action", "downloaded"),
    "draw": pgettext_lazy("audit action", "drawn"),
    "dropout": pgettext_lazy("audit action", "dropout recorded"),
    "duplicate_override": pgettext_lazy("audit action", "duplicate warning overridden"),
    "duty": pgettext_lazy("audit action", "monitoring duty added"),
    "emergency_override": pgettext_lazy("audit action", "consent rule overridden in an emergency"),
    "end": pgettext_lazy("audit action", "ended"),
    "enlist": pgettext_lazy("audit action", "may take campaign call lists"),
    "escalate": pgettext_lazy("audit action", "escalated"),
    "expire": pgettext_lazy("audit action", "expired"),
    "fetch": pgettext_lazy("audit action", "fetched"),
    "file": pgettext_lazy("audit action", "filed"),
    "first_contact": pgettext_lazy("audit action", "first contact recorded"),
    "follow_up": pgettext_lazy("audit action", "followed up"),
    "generate": pgettext_lazy("audit action", "generated"),
    "give": pgettext_lazy("audit action", "given"),
    "grant": pgettext_lazy("audit action", "granted"),
    "hide": pgettext_lazy("audit action", "hidden"),
    "hold_lift": pgettext_lazy("audit action", "hold lifted"),
    "hold_place": pgettext_lazy("audit action", "hold placed"),
    "idea": pgettext_lazy("audit action", "idea added"),
    "import": pgettext_lazy("audit action", "imported"),
    "inquiry": pgettext_lazy("audit action", "social inquiry recorded"),
    "invite": pgettext_lazy("audit action", "invitation sent"),
    "invites": pgettext_lazy("audit action", "invitations sent"),
    "issue": pgettext_lazy("audit action", "issued"),
    "kit": pgettext_lazy("audit action", "kit handed out"),
    "leave": pgettext_lazy("audit action", "leave recorded"),
    "link_location": pgettext_lazy("audit action", "location linked"),
    "list_view": pgettext_lazy("audit action", "viewed in a list"),
    "load": pgettext_lazy("audit action", "loaded"),
    "lock": pgettext_lazy("audit action", "locked"),
    "login": pgettext_lazy("audit action", "signed in"),
    "login_failed": pgettext_lazy("audit action", "sign-in failed"),
    "logout": pgettext_lazy("audit action", "signed out"),
    "make": pgettext_lazy("audit action", "made"),
    "merge": pgettext_lazy("audit action", "merged"),
    "merged_away": pgettext_lazy("audit action", "merged into another record"),
    "missed": pgettext_lazy("audit action", "marked as missed"),
    "not_same": pgettext_lazy("audit action", "marked as a different person"),
    "note": pgettext_lazy("audit action", "note added"),
    "onboard": pgettext_lazy("audit action", "onboarded from its documents"),
    "open": pgettext_lazy("audit action", "opened"),
    "move": pgettext_lazy("audit action", "moved"),
    "open_case": pgettext_lazy("audit action", "case opened by the receiving provider"),
    "participant": pgettext_lazy("audit action", "participant added"),
    "participants": pgettext_lazy("audit action", "participants changed"),
    "password_change": pgettext_lazy("audit action", "password changed"),
    "pay": pgettext_lazy("audit action", "payment recorded"),
    "person_merge": pgettext_lazy("audit action", "moved to the kept record of the person"),
    "plan_action": pgettext_lazy("audit action", "plan action added"),
    "plan_approve": pgettext_lazy("audit action", "plan approved"),
    "plan_create": pgettext_lazy("audit action", "plan created"),
    "plan_return": pgettext_lazy("audit action", "plan returned for changes"),
    "plan_submit": pgettext_lazy("audit action", "plan submitted"),
    "portal": pgettext_lazy("audit action", "enrolled on the portal"),
    "promote": pgettext_lazy("audit action", "promoted from the waiting list"),
    "publish": pgettext_lazy("audit action", "published"),
    "question_add": pgettext_lazy("audit action", "question added"),
    "read_volume_alert": pgettext_lazy("audit action", "unusual number of reads flagged"),
    "rebuild": pgettext_lazy("audit action", "rebuilt"),
    "receive": pgettext_lazy("audit action", "received"),
    "record": pgettext_lazy("audit action", "recorded"),
    "redeem": pgettext_lazy("audit action", "redeemed"),
    "refuse": pgettext_lazy("audit action", "refused"),
    "reject": pgettext_lazy("audit action", "rejected"),
    "remind": pgettext_lazy("audit action", "reminder sent"),
    "remove": pgettext_lazy("audit action", "removed"),
    "renew": pgettext_lazy("audit action", "renewed"),
    "renewal_reminder": pgettext_lazy("audit action", "renewal reminder sent"),
    "reopen": pgettext_lazy("audit action", "reopened"),
    "reply": pgettext_lazy("audit action", "replied to"),
    "report": pgettext_lazy("audit action", "reported"),
    "request_decide": pgettext_lazy("audit action", "request decided"),
    "request_register": pgettext_lazy("audit action", "request registered"),
    "reroute": pgettext_lazy("audit action", "sent to another service"),
    "resolve": pgettext_lazy("audit action", "resolved"),
    "response_time_set": pgettext_lazy("audit action", "response time set"),
    "retention_run": pgettext_lazy("audit action", "retention run carried out"),
    "retry": pgettext_lazy("audit action", "started again"),
    "return": pgettext_lazy("audit action", "returned"),
    "reverify": pgettext_lazy("audit action", "file re-verified"),
    "revoke": pgettext_lazy("audit action", "revoked"),
    "rule_add": pgettext_lazy("audit action", "rule added"),
    "save": pgettext_lazy("audit action", "saved"),
    "scan_view": pgettext_lazy("audit action", "scan viewed"),
    "schedule_defaults": pgettext_lazy("audit action", "default schedule applied"),
    "score": pgettext_lazy("audit action", "scored"),
    "season": pgettext_lazy("audit action", "season set up"),
    "seed": pgettext_lazy("audit action", "defaults loaded"),
    "send": pgettext_lazy("audit action", "sent"),
    "sensitive_update": pgettext_lazy("audit action", "special-category data updated"),
    "session": pgettext_lazy("audit action", "session added"),
    "session_end": pgettext_lazy("audit action", "session ended"),
    "set": pgettext_lazy("audit action", "set"),
    "settings": pgettext_lazy("audit action", "settings changed"),
    "sign": pgettext_lazy("audit action", "signed"),
    "sign_up": pgettext_lazy("audit action", "signed up"),
    "slots": pgettext_lazy("audit action", "availability changed"),
    "source": pgettext_lazy("audit action", "source set"),
    "sources": pgettext_lazy("audit action", "sources set"),
    "start": pgettext_lazy("audit action", "started"),
    "status": pgettext_lazy("audit action", "status changed"),
    "subject_access": pgettext_lazy("audit action", "subject-access export produced"),
    "submit": pgettext_lazy("audit action", "submitted"),
    "take_up": pgettext_lazy("audit action", "taken up"),
    "target": pgettext_lazy("audit action", "target set"),
    "task": pgettext_lazy("audit action", "task added"),
    "task_done": pgettext_lazy("audit action", "task done"),
    "terminate": pgettext_lazy("audit action", "terminated"),
    "training": pgettext_lazy("audit action", "training recorded"),
    "transfer": pgettext_lazy("audit action", "transferred"),
    "unlock_by_email": pgettext_lazy("audit action", "unlocked by email"),
    "restore": pgettext_lazy("audit action", "restored into this database"),
    "unpublish": pgettext_lazy("audit action", "unpublished"),
    "update": pgettext_lazy("audit action", "updated"),
    "use": pgettext_lazy("audit action", "used"),
    "verify": pgettext_lazy("audit action", "verified"),
    "view": pgettext_lazy("audit action", "viewed"),
    "visit": pgettext_lazy("audit action", "visit recorded"),
    "visits": pgettext_lazy("audit action", "visits recorded"),
    "withdraw": pgettext_lazy("audit action", "withdrawn"),
}

# Whole codes whose composition reads badly or that have no record segment.
OVERRIDES = {
    "export": pgettext_lazy("audit action", "Data exported"),
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


def action_filter_choices(extra_codes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The audit log's action filter, in the reader's words: every action on one kind of record (the code's
    first segment, matched as a prefix: "person." is every action on a person) and a few single actions."""
    groups = sorted({key.split(".")[0] for key in OBJECTS}, key=lambda head: str(OBJECTS.get(head, head)))
    choices = [("", _("Any action"))]
    choices += [(f"{head}.", str(OBJECTS[head])) for head in groups if head in OBJECTS]
    choices += [(code, action_label(code)) for code in extra_codes]
    return choices


# What the log stores for a request with no signed-in user (carenet/audit/services.py); shown translated.
ANONYMOUS_ACTOR = "anonymous"


def actor_label(label: str, actor_id: object) -> str:
    """Who acted, as the reader says it: a user's name as stored, an anonymous visitor or the system."""
    if actor_id is None and label == ANONYMOUS_ACTOR:
        return _("Anonymous visitor")
    if actor_id is None and not label:
        return _("The system")
    return label


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
        return pgettext("audit record", "Other record")
    return str(capfirst(model._meta.verbose_name))


def object_type_choices() -> list[tuple[str, str]]:
    """The audit log's record-type filter: CareNet's kinds of records by their names, in the reader's language."""
    models = [m for m in apps.get_models() if m.__module__.startswith("carenet.")]
    choices = sorted(((m._meta.label_lower, str(capfirst(m._meta.verbose_name))) for m in models), key=lambda c: c[1])
    return [("", _("Any record")), *choices]


# Why a record was read, by the code a caller stored in the purpose column. Apps add their own (the people
# app its access purposes) from ``AppConfig.ready``; anything else is a person's own words, shown as typed.
PURPOSES: dict[str, object] = {
    "api": pgettext_lazy("audit purpose", "Read through the API"),
    "care.matching": pgettext_lazy("audit purpose", "Matching care"),
    "case_management": pgettext_lazy("audit purpose", "Case management"),
    "edit": pgettext_lazy("audit purpose", "Editing the record"),
    "form": pgettext_lazy("audit purpose", "Printing a form"),
    "merge": pgettext_lazy("audit purpose", "Merging duplicate records"),
    "open data": pgettext_lazy("audit purpose", "Open data publication"),
    "portal.help_request": pgettext_lazy("audit purpose", "A help request from the portal"),
    "privacy": pgettext_lazy("audit purpose", "Data protection request"),
    "rectification": pgettext_lazy("audit purpose", "Rectification requested by the person"),
    "referral": pgettext_lazy("audit purpose", "A referral"),
    "sharing": pgettext_lazy("audit purpose", "Sharing with another provider"),
    "special-category data": pgettext_lazy("audit purpose", "Reading special-category data"),
    "subject_access": pgettext_lazy("audit purpose", "The person's access request"),
    "triage": pgettext_lazy("audit purpose", "Triage of a help request"),
    "volunteering.coordinate": pgettext_lazy("audit purpose", "Coordinating volunteers"),
    "volunteering.organise": pgettext_lazy("audit purpose", "Organising volunteering"),
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
