"""Pages of the registry. Thin: parse input, call one selector or service, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export, audit_read, audit_record
from carenet.core.policy import policy

from . import services
from .forms import (
    ConfirmNewPersonForm,
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    IdentityDocumentForm,
    MergeForm,
    PersonForm,
    SensitiveForm,
)
from .hooks import consent_uses
from .models import Consent, Household, SensitiveProfile
from .permissions import (
    can_change_person,
    can_merge_person,
    can_register_person,
    can_view_sensitive_data,
)
from .selectors import (
    person_consents,
    person_duplicates,
    person_get,
    person_household,
    person_search,
    person_sensitive,
)
from .uploads import CONTENT_TYPES, extension_of


def _apply_errors(form, exc: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    persons = person_search(user=request.user, query=query)
    return render(
        request,
        "people/person_list.html",
        {"persons": persons, "q": query, "can_register": can_register_person(request.user)},
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """CSV of the search results (names and dates only), itself an audited export."""
    query = request.GET.get("q", "")[:100]
    persons = list(person_search(user=request.user, query=query, limit=1000))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="persons.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Identifier"), _("Last name"), _("First name"), _("Date of birth")])
    for p in persons:
        writer.writerow([p.pk, p.last_name, p.first_name, p.birth_date or ""])
    audit_export(
        actor=request.user,
        municipality=getattr(request.user, "municipality_id", None),
        what="people.person",
        rows=len(persons),
    )
    return response


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person, after showing the likely matches the user may see (duplicate check)."""
    if not can_register_person(request.user):
        raise PermissionDenied
    municipality = getattr(request.user, "municipality_id", None)
    form = PersonForm(request.POST or None, municipality=municipality)
    confirm = ConfirmNewPersonForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        data = form.cleaned_data
        matches = person_duplicates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data.get("birth_date"),
            national_id=data.get("national_id", ""),
        )
        if not matches or confirm.cleaned_data["confirm_new"]:
            try:
                person = services.person_register(user=request.user, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The person is registered."))
                return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_new.html", {"form": form, "confirm": confirm, "matches": matches})


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    audit_read(actor=request.user, obj=person, purpose=request.GET.get("purpose", "")[:200])
    sensitive = person_sensitive(user=request.user, person=person)
    context = {
        "person": person,
        "documents": list(person.documents.all()),
        "consents": person_consents(person=person),
        "household": person_household(person=person),
        "can_change": can_change_person(request.user, person),
        "can_view_sensitive": can_view_sensitive_data(request.user, person),
        "can_merge": can_merge_person(request.user, person),
        "sensitive": sensitive,
        "extra_panels": _extra_panels(request, person),
    }
    return render(request, "people/person_detail.html", context)


# Higher layers (cases, referrals) add panels to the person's page without people importing them:
# each is fn(request, person) -> {"title": str, "template": str, "context": dict} or None.
PERSON_PANELS: list = []


def _extra_panels(request: HttpRequest, person) -> list:  # type: ignore[no-untyped-def]
    panels = []
    for panel in PERSON_PANELS:
        result = panel(request, person)
        if result:
            panels.append(result)
    return panels


@login_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not can_change_person(request.user, person):
        raise PermissionDenied
    if request.method == "GET":
        audit_read(actor=request.user, obj=person, purpose="edit")
    form = PersonForm(request.POST or None, instance=person, municipality=person.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "title": _("Edit person")})


@login_required
def sensitive_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not (can_view_sensitive_data(request.user, person) and can_change_person(request.user, person)):
        raise PermissionDenied
    instance = person_sensitive(user=request.user, person=person) or SensitiveProfile(person=person)
    audit_read(actor=request.user, obj=person, purpose="special-category data")
    form = SensitiveForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.sensitive_update(user=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("The changes are saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "title": _("Special-category data")})


def _person_subform(request, person_id, form_class, title, save, warnings=(), **form_kwargs):  # type: ignore[no-untyped-def]
    person = person_get(user=request.user, person_id=person_id)
    if not can_change_person(request.user, person):
        raise PermissionDenied
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
        person_id,
        ConsentForm,
        _("Record a consent"),
        lambda person, data: services.consent_record(
            user=request.user,
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
    person = person_get(user=request.user, person_id=person_id)
    consent = _consent_of(person, consent_id)
    # What stops with the consent (open referrals relying on it…), said before saving; only to who may withdraw.
    warnings = consent_uses(consent) if can_change_person(request.user, person) and consent.is_active else []
    return _person_subform(
        request,
        person_id,
        ConsentWithdrawForm,
        _("Withdraw a consent"),
        lambda p, data: services.consent_withdraw(
            user=request.user, consent=consent, withdrawn_on=data["withdrawn_on"]
        ),
        warnings=warnings,
    )


def _consent_of(person, consent_id: str) -> Consent:  # type: ignore[no-untyped-def]
    try:
        return Consent.objects.for_tenant(person.municipality_id).get(person=person, pk=consent_id)
    except (Consent.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@login_required
def consent_scan(request: HttpRequest, person_id: str, consent_id: str) -> FileResponse:
    """The scan is served only here, after the same check as the person's page, and audited."""
    person = person_get(user=request.user, person_id=person_id)
    consent = _consent_of(person, consent_id)
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
        person_id,
        IdentityDocumentForm,
        _("Add an identity document"),
        lambda person, data: services.identity_document_add(user=request.user, person=person, **data),
    )


@login_required
def household_add(request: HttpRequest, person_id: str) -> HttpResponse:
    return _person_subform(
        request,
        person_id,
        HouseholdForm,
        _("Add to a household"),
        lambda person, data: services.household_add_member(
            user=request.user,
            person=person,
            role=data["role"],
            household=data.get("household"),
            household_name=data["household_name"],
        ),
        households=_candidate_households(request, person_id),
    )


def _candidate_households(request: HttpRequest, person_id: str):  # type: ignore[no-untyped-def]
    """Households the person may join: visible ones of the same family name or at the same address."""
    person = person_get(user=request.user, person_id=person_id)
    condition = Q(name__iexact=person.last_name)
    if person.address:
        condition |= Q(address__iexact=person.address)
    return policy.visible(request.user, Household).filter(condition).order_by("name")


@login_required
def person_merge(request: HttpRequest, person_id: str) -> HttpResponse:
    survivor = person_get(user=request.user, person_id=person_id)
    if not can_merge_person(request.user, survivor):
        raise PermissionDenied
    if request.method == "GET":
        audit_read(actor=request.user, obj=survivor, purpose="merge")
    form = MergeForm(request.POST or None, initial={"duplicate": request.GET.get("duplicate", "")})
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = person_get(user=request.user, person_id=form.cleaned_data["duplicate"])
        except Http404:
            form.add_error("duplicate", _("No record with this identifier that you may see."))
        else:
            try:
                services.person_merge(
                    user=request.user, survivor=survivor, duplicate=duplicate, reason=form.cleaned_data["reason"]
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
        exclude_id=survivor.pk,
    )
    return render(request, "people/person_merge.html", {"form": form, "person": survivor, "matches": matches})


__all__ = ["require_POST"]
