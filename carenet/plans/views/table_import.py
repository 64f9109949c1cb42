"""The coordinator imports the council's own plan table: upload → column mapping → preview → confirm.

The parsed table waits in the coordinator's session under a random token between the steps; nothing is
written to the plan tables before the confirmation. The pages act on the user's own municipality.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carenet.core.access import requires
from carenet.core.roles import Role

from ..forms_table_import import SAMPLE_ROWS, TableMappingForm, TableUploadForm, column_label
from ..table_import import (
    FIELD_LABELS,
    PlanTable,
    TablePreview,
    plan_table_guess_mapping,
    plan_table_import,
    plan_table_preview,
    plan_table_read,
    preview_tree,
)

SESSION_KEY = "plans_table_import"
SHOWN_PROBLEMS = 20


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    """The table this user uploaded in this session, if the token of the request names it."""
    token = request.GET.get("t") or request.POST.get("t") or ""
    stored = request.session.get(SESSION_KEY)
    if not token or not stored or not secrets.compare_digest(str(stored.get("token", "")), token):
        return None
    if stored.get("user") != str(request.user.pk):
        return None
    return stored


def _step_url(name: str, token: str) -> str:
    return f"{reverse(name)}?t={token}"


def _plan_args(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: stored[k] for k in ("code", "title", "start_year", "end_year")}


def _lost(request: HttpRequest) -> HttpResponse:
    messages.warning(request, _("The uploaded table is no longer kept; upload it again."))
    return redirect("plans:table_import")


def _field_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@requires(Role.COORDINATOR, platform_admin=False)
def table_import_upload(request: HttpRequest) -> HttpResponse:
    form = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        index = data["table_index"] - 1 if data.get("table_index") else None
        try:
            table = plan_table_read(file=data["file"], filename=data["file"].name, table_index=index)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "user": str(request.user.pk),
                "table": table.to_json(),
                "mapping": plan_table_guess_mapping(table=table),
                "code": data["code"],
                "title": data["title"],
                "start_year": data["start_year"],
                "end_year": data["end_year"],
            }
            return redirect(_step_url("plans:table_import_mapping", token))
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/table_import_upload.html", {"form": form}, status=status)


@requires(Role.COORDINATOR, platform_admin=False)
def table_import_mapping(request: HttpRequest) -> HttpResponse:
    stored = _pending(request)
    if stored is None:
        return _lost(request)
    table = PlanTable.from_json(stored["table"])
    initial = {key: str(column) for key, column in stored["mapping"].items()}
    form = TableMappingForm(request.POST or None, table=table, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            plan_table_preview(
                municipality=request.user.municipality,  # type: ignore[union-attr,arg-type]
                table=table,
                mapping=mapping,
                **_plan_args(stored),
            )
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            request.session[SESSION_KEY] = {**stored, "mapping": mapping}
            return redirect(_step_url("plans:table_import_preview", stored["token"]))
    context = {
        "form": form,
        "token": stored["token"],
        "source": table.source,
        "columns": [column_label(i, h) for i, h in enumerate(table.headers)],
        "sample": list(zip(table.row_numbers, table.rows[:SAMPLE_ROWS], strict=False)),
        "row_count": len(table.rows),
        "plan": _plan_args(stored),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/table_import_mapping.html", context, status=status)


@requires(Role.COORDINATOR, platform_admin=False)
def table_import_preview(request: HttpRequest) -> HttpResponse:
    stored = _pending(request)
    if stored is None:
        return _lost(request)
    table = PlanTable.from_json(stored["table"])
    municipality = request.user.municipality  # type: ignore[union-attr]
    args = {"municipality": municipality, "table": table, "mapping": stored["mapping"], **_plan_args(stored)}
    refused: list[str] = []
    if request.method == "POST":
        try:
            plan = plan_table_import(actor=request.user, **args)
        except ValidationError as exc:
            refused = exc.messages
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("The plan “%(title)s” is imported.") % {"title": plan.title})
            return redirect("plans:detail", plan_id=plan.pk)
    try:
        preview: TablePreview = plan_table_preview(**args)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_step_url("plans:table_import_mapping", stored["token"]))
    context = {
        "token": stored["token"],
        "source": table.source,
        "plan": _plan_args(stored),
        "counts": preview.counts(),
        "replaces": preview.replaces,
        "errors": preview.errors[:SHOWN_PROBLEMS],
        "warnings": preview.warnings[:SHOWN_PROBLEMS],
        "tree": preview_tree(preview),
        "refused": refused,
        "mapped": [(FIELD_LABELS[k], table.headers[v]) for k, v in stored["mapping"].items() if k in FIELD_LABELS],
    }
    status = 400 if refused else 200
    return render(request, "plans/table_import_preview.html", context, status=status)
