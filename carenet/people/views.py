"""Pages of the registry. Thin: fetch-and-check, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.permissions import can_browse_audit
from carenet.audit.services import audit_read, audit_record
from carenet.core.access import requires
from carenet.core.exports import export_table

from . import services
from .forms import (
    AccessPurposeForm,
    AccessReportForm,
    ConfirmNewPersonForm,
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    IdentityDocumentForm,
    MergeForm,
    NotSamePersonForm,
    PersonForm,
    SensitiveForm,
)
from .grounds import CONSENTS, DOCUMENTS, HOUSEHOLD
from .hooks import PERSON_PANELS, consent_uses
from .models import AccessPurpose, Person, SensitiveProfile
from .permissions import (
    can_change_person,
    can_deduplicate,
    can_merge_person,
    can_register_person,
    can_view_sensitive_data,
    consent_for,
    person_for,
    person_grounds,
    person_sections,
)
from .selectors import (
    deduplicate_latest_job,
    deduplicate_review,
    household_candidates,
    outside_caseload_openings,
    person_consents,
    person_documents,
    person_duplicates,
    person_household,
    person_outside_caseload,
    person_search,
    person_sensitive,
)
from .uploads import CONTENT_TYPES, extension_of

EXPORT_LIMIT = 1000


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    persons = list(person_search(user=request.user, query=query))
    # One audit event per response that shows persons (the search words stay out: they may be a name).
    services.persons_read_record(
        actor=request.user,
        person_ids=[p.pk for p in persons],
        what="people.person.search" if query else "people.person.list",
    )
    return render(
        request,
        "people/person_list.html",
        {"persons": persons, "q": query, "can_register": can_register_person(request.user)},
    )


@login_required
def person_export(request: HttpRequest, fmt: str = "csv") -> HttpResponseBase:
    """The search results (names and dates only) as CSV or XLSX: formula-safe, and itself an audited export."""
    query = request.GET.get("q", "")[:100]
    persons: list[Person] = list(person_search(user=request.user, query=query, limit=EXPORT_LIMIT))
    return export_table(
        actor=request.user,
        municipality=getattr(request.user, "municipality_id", None),
        what="people.person",
        header=[_("Identifier"), _("Last name"), _("First name"), _("Date of birth")],
        rows=[[p.pk, p.last_name, p.first_name, p.birth_date] for p in persons],
        fmt=fmt,
        filename="persons",
        title=_("Persons"),
        subject_ids=[p.pk for p in persons],
    )


@requires(can_register_person, platform_admin=False)
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person, after showing the matches the user may see (duplicate check, issue 14).

    A probable duplicate is a strong warning: registering anyway needs a reason (audited). A possible one is a
    notice: one more click registers. Below the possible threshold nothing is shown.
    """
    municipality = getattr(request.user, "municipality_id", None)
    form = PersonForm(request.POST or None, municipality=municipality)
    confirm = ConfirmNewPersonForm(request.POST or None)
    matches: list = []
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        data = form.cleaned_data
        matches = person_duplicates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data.get("birth_date"),
            national_id=data.get("national_id", ""),
            identifier_kind=data.get("identifier_kind", ""),
            other_spellings=data.get("other_spellings", ""),
            sex=data.get("sex", ""),
            address=data.get("address", ""),
        )
        services.persons_read_record(
            actor=request.user, person_ids=[m.person.pk for m in matches], what="people.person.duplicates"
        )
        probable = [m for m in matches if m.probable]
        override = None
        proceed = not matches
        if matches and confirm.cleaned_data["confirm_new"]:
            reason = confirm.cleaned_data["reason"].strip()
            if not probable:
                proceed = True
            elif reason:
                proceed = True
                override = {
                    "reason": reason,
                    "candidates": [m.person.pk for m in probable],
                    "probability": probable[0].score,
                }
            else:
                confirm.add_error("reason", _("Say why this is not the person already registered."))
        if proceed:
            try:
                person = services.person_register(actor=request.user, duplicate_override=override, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The person is registered."))
                return redirect(reverse("people:detail", args=[person.pk]) + f"?purpose={AccessPurpose.REGISTRATION}")
    probable_any = any(m.probable for m in matches)
    return render(
        request,
        "people/person_new.html",
        {"form": form, "confirm": confirm, "matches": matches, "probable": probable_any},
    )


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for(request.user, person_id)
    outside = person_outside_caseload(user=request.user, person=person)
    if outside:
        # Outside the caseworker's caseload: the record opens only once they said why (issue 26).
        why = AccessPurposeForm(request.GET if "purpose" in request.GET else None)
        if not why.is_valid():
            return render(request, "people/person_purpose.html", {"form": why, "person_id": person.pk})
        purpose = why.stored()
    else:
        purpose = request.GET.get("purpose", "")[:200]
    audit_record(
        action="person.view",
        actor=request.user,
        obj=person,
        purpose=purpose,
        changes={"outside_caseload": True} if outside else {},
    )
    sensitive = person_sensitive(user=request.user, person=person)
    # Each section follows what the viewer's grounds share (decision 0013): nothing else is even loaded.
    sections = person_sections(request.user, person)
    context = {
        "person": person,
        "sections": sections,
        "grounds": person_grounds(request.user, person),
        "documents": person_documents(person=person) if DOCUMENTS in sections else None,
        "consents": person_consents(person=person) if CONSENTS in sections else None,
        "household": person_household(user=request.user, person=person) if HOUSEHOLD in sections else None,
        "can_change": can_change_person(request.user, person),
        "can_view_sensitive": can_view_sensitive_data(request.user, person),
        "can_merge": can_merge_person(request.user, person),
        "sensitive": sensitive,
        "extra_panels": _extra_panels(request, person),
    }
    return render(request, "people/person_detail.html", context)


def _extra_panels(request: HttpRequest, person) -> list:
    panels = []
    for panel in PERSON_PANELS:
        result = panel(request, person)
        if result:
            panels.append(result)
    return panels


@login_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for(request.user, person_id, action="change")
    if request.method == "GET":
        audit_read(actor=request.user, obj=person, purpose="edit")
    form = PersonForm(request.POST or None, instance=person, municipality=person.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "title": _("Edit person")})


@login_required
def sensitive_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for(request.user, person_id, action="change_sensitive")
    instance = person_sensitive(user=request.user, person=person) or SensitiveProfile(person=person)
    audit_read(actor=request.user, obj=person, purpose="special-category data")
    form = SensitiveForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.sensitive_update(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("The changes are saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "title": _("Special-category data")})


def _person_subform(request, person, form_class, title, save, warnings=(), **form_kwargs):
    """A form that changes a person already fetched with ``person_for(..., action="change")``."""
    if request.method == "GET":  # the form shows the person: a read of the record
        audit_read(actor=request.user, obj=person, purpose="form")
    form = form_class(request.POST or None, request.FILES or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:detail", person_id=person.pk)
    context = {"form": form, "person": person, "title": title, "multipart": True, "warnings": list(warnings)}
    return render(request, "people/form.html", context)


@login_required
def consent_add(request: HttpRequest, person_id: str) -> HttpResponse:
    return _person_subform(
        request,
        person_for(request.user, person_id, action="change"),
        ConsentForm,
        _("Record a consent"),
        lambda person, data: services.consent_record(
            actor=request.user,
            person=person,
            purpose=data["purpose"],
            given_on=data["given_on"],
            scope=list(data["scope"]),
            scan=data.get("scan"),
        ),
        municipality=getattr(request.user, "municipality_id", None),
    )


@login_required
def consent_withdraw(request: HttpRequest, person_id: str, consent_id: str) -> HttpResponse:
    person = person_for(request.user, person_id, action="change")
    consent = consent_for(request.user, person, consent_id)
    # What stops with the consent (open referrals relying on it…), said before saving.
    warnings = consent_uses(consent) if consent.is_active else []
    return _person_subform(
        request,
        person,
        ConsentWithdrawForm,
        _("Withdraw a consent"),
        lambda p, data: services.consent_withdraw(
            actor=request.user, consent=consent, withdrawn_on=data["withdrawn_on"]
        ),
        warnings=warnings,
    )


@login_required
def consent_scan(request: HttpRequest, person_id: str, consent_id: str) -> FileResponse:
    """The scan is served only here, after the same check as the person's page, and audited."""
    person = person_for(request.user, person_id)
    consent = consent_for(request.user, person, consent_id)
    if not consent.scan:
        raise Http404
    audit_record(action="consent.scan_view", actor=request.user, obj=person, changes={"consent": str(consent.pk)})
    ext = extension_of(consent.scan.name)
    return FileResponse(
        consent.scan.open("rb"),
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
        as_attachment=True,
        filename=f"consent-{consent.pk}.{ext}",
    )


@login_required
def document_add(request: HttpRequest, person_id: str) -> HttpResponse:
    return _person_subform(
        request,
        person_for(request.user, person_id, action="change"),
        IdentityDocumentForm,
        _("Add an identity document"),
        lambda person, data: services.identity_document_add(actor=request.user, person=person, **data),
    )


@login_required
def household_add(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_for(request.user, person_id, action="change")
    return _person_subform(
        request,
        person,
        HouseholdForm,
        _("Add to a household"),
        lambda person, data: services.household_add_member(
            actor=request.user,
            person=person,
            role=data["role"],
            household=data.get("household"),
            household_name=data["household_name"],
        ),
        households=household_candidates(user=request.user, person=person),
    )


@login_required
def person_merge(request: HttpRequest, person_id: str) -> HttpResponse:
    survivor = person_for(request.user, person_id, action="merge")
    if request.method == "GET":
        audit_read(actor=request.user, obj=survivor, purpose="merge")
    form = MergeForm(request.POST or None, initial={"duplicate": request.GET.get("duplicate", "")})
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = person_for(request.user, form.cleaned_data["duplicate"])
        except Http404:
            form.add_error("duplicate", _("No record with this identifier that you may see."))
        else:
            try:
                services.person_merge(
                    actor=request.user, survivor=survivor, duplicate=duplicate, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The two records are merged."))
                return redirect("people:detail", person_id=survivor.pk)
    matches = person_duplicates(
        user=request.user,
        first_name=survivor.first_name,
        last_name=survivor.last_name,
        birth_date=survivor.birth_date,
        national_id=survivor.national_id,
        identifier_kind=survivor.identifier_kind,
        other_spellings=survivor.other_spellings,
        sex=survivor.sex,
        address=survivor.address,
        exclude_id=survivor.pk,
    )
    services.persons_read_record(
        actor=request.user, person_ids=[m.person.pk for m in matches], what="people.person.duplicates"
    )
    return render(request, "people/person_merge.html", {"form": form, "person": survivor, "matches": matches})


@requires(can_browse_audit)
def access_report(request: HttpRequest) -> HttpResponse:
    """The auditor's report of the persons opened outside a caseload, with the reason given (issue 26)."""
    form = AccessReportForm(request.GET or None)
    dates = form.cleaned_data if form.is_valid() else {}
    openings = outside_caseload_openings(
        user=request.user, date_from=dates.get("date_from"), date_to=dates.get("date_to")
    )
    audit_record(action="audit.access_report", actor=request.user, changes={"rows": len(openings)})
    return render(request, "people/access_report.html", {"form": form, "openings": openings})


@requires(can_deduplicate, platform_admin=False)
def duplicate_review(request: HttpRequest) -> HttpResponse:
    """The review queue of the batch de-duplication: clusters, most probable first; merge or "not the same"."""
    job = deduplicate_latest_job(user=request.user)
    clusters = deduplicate_review(user=request.user, job=job)
    services.persons_read_record(
        actor=request.user,
        person_ids=[p.pk for cluster in clusters for pair in cluster for p in (pair.person, pair.other)],
        what="people.person.duplicate_review",
    )
    return render(
        request, "people/duplicate_review.html", {"job": job, "clusters": clusters, "form": NotSamePersonForm()}
    )


@requires(can_deduplicate, platform_admin=False)
@require_POST
def duplicate_scan(request: HttpRequest) -> HttpResponse:
    services.deduplicate_job_start(actor=request.user)
    messages.success(request, _("The registry is being checked for duplicates. This page shows the progress."))
    return redirect("people:duplicates")


@requires(can_deduplicate, platform_admin=False)
@require_POST
def not_same_person(request: HttpRequest) -> HttpResponse:
    form = NotSamePersonForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = person_for(request.user, form.cleaned_data["person"], action="merge")
    other = person_for(request.user, form.cleaned_data["other"], action="merge")
    try:
        services.not_same_person_record(
            actor=request.user, person=person, other=other, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded: two different persons. The pair will not be proposed again."))
    return redirect("people:duplicates")


__all__ = ["require_POST"]
