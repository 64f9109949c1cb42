"""The rent of a tenancy: its statement month by month, recording a payment, the statement as PDF, and the
housing office's arrears list. Thin: parse, one fetch-and-check, one service or selector, render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.exports import export_document
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy
from carenet.people.services import persons_read_record

from .. import selectors, services
from ..forms import RentPaymentForm
from ..models import Contract
from ..permissions import can_read_housing, contract_for
from .common import apply_errors


def _page(request: CareNetRequest, contract: Contract, form: RentPaymentForm | None, status: int = 200) -> HttpResponse:
    statement = selectors.rent_statement(contract=contract)
    persons_read_record(actor=request.user, person_ids=[contract.tenant_id], what="housing.rent.statement")
    can_record = policy.can(request.user, "change", contract)
    if can_record and form is None:
        today = timezone.localdate()
        form = RentPaymentForm(initial={"month": today.replace(day=1), "paid_on": today})
    context: dict[str, Any] = {
        "contract": contract,
        "statement": statement,
        "lines": list(reversed(statement.lines)),  # the latest month first
        "form": form if can_record else None,
        "rule": services.rule_in_force(municipality=contract.municipality_id),
    }
    return render(request, "housing/rent.html", context, status=status)


@login_required
def contract_rent(request: CareNetRequest, contract_id: str) -> HttpResponse:
    contract = contract_for(request.user, contract_id)
    return _page(request, contract, None)


@require_POST
@login_required
def contract_rent_pay(request: CareNetRequest, contract_id: str) -> HttpResponse:
    contract = contract_for(request.user, contract_id, action="change")
    form = RentPaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.rent_payment_record(
                actor=request.user, contract=contract, data=services.PaymentInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s recorded on receipt %(receipt)s.")
                % {"amount": payment.amount, "receipt": payment.receipt_number},
            )
            return redirect("housing:contract_rent", contract_id=contract.pk)
    return _page(request, contract, form, status=400)


@login_required
def contract_rent_statement(request: CareNetRequest, contract_id: str) -> HttpResponse:
    """The tenancy's rent statement as PDF, through the one export path (audited, naming the tenant)."""
    contract = contract_for(request.user, contract_id)
    statement = selectors.rent_statement(contract=contract)
    html = render_to_string(
        "housing/rent_statement_pdf.html",
        {"contract": contract, "statement": statement, "today": timezone.localdate()},
        request=request,
    )
    return export_document(
        actor=request.user,
        municipality=request.municipality,
        what="housing.rent.statement",
        html=html,
        filename=f"rent-{contract.number}",
        title=_("Rent statement"),
        subject_ids=[contract.tenant_id],
    )


@requires(can_read_housing, platform_admin=False)
def arrears_list(request: CareNetRequest) -> HttpResponse:
    rows = selectors.arrears_rows(user=request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    persons_read_record(
        actor=request.user, person_ids=[r.contract.tenant_id for r in page], what="housing.rent.arrears"
    )
    context = {
        "page": page,
        "total": sum((r.arrears for r in rows), Decimal(0)),
        "count": len(rows),
        "rule": services.rule_in_force(municipality=request.municipality),
    }
    return render(request, "housing/arrears.html", context)
