"""Response time and completion rate per provider and per service (for the KPIs)."""

import datetime

from django.utils import timezone

from carenet.referrals import services
from carenet.referrals.models import Referral
from carenet.referrals.selectors import (
    completion_rate_by_provider,
    referral_figures,
    referral_figures_for,
    response_time_by_provider,
)


def test_response_time_and_completion_rate_per_provider_and_service(
    caseworker_a, caseworker_b, case_a, service_b, consent_for_b, org_b
):
    tenant = case_a.municipality_id
    made = [
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason=f"r{i}", send=True)
        for i in range(3)
    ]
    services.referral_accept(actor=caseworker_b, referral=made[0])
    services.referral_complete(actor=caseworker_b, referral=made[0], outcome="goals_met", feedback="ok")
    services.referral_accept(actor=caseworker_b, referral=made[1])
    # Answers after 2 h and 6 h (set directly: no timing in tests).
    for referral, hours in ((made[0], 2), (made[1], 6)):
        Referral.objects.for_tenant(tenant).filter(pk=referral.pk).update(
            responded_at=referral.sent_at + datetime.timedelta(hours=hours)
        )
    [by_provider] = referral_figures(referrals=Referral.objects.for_tenant(tenant), by="provider")
    assert (by_provider.sent, by_provider.answered, by_provider.accepted, by_provider.completed) == (3, 2, 2, 1)
    assert by_provider.median_response_hours == 4.0
    assert by_provider.completion_rate == 50.0
    [by_service] = referral_figures(referrals=Referral.objects.for_tenant(tenant), by="service")
    assert by_service.label == service_b.name and by_service.sent == 3
    assert response_time_by_provider(municipality=tenant) == {org_b.pk: 4.0}
    assert completion_rate_by_provider(municipality=tenant) == {org_b.pk: 50.0}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert response_time_by_provider(municipality=tenant, date_from=tomorrow) == {}


def test_a_provider_sees_figures_only_of_referrals_it_may_see(caseworker_c, sent_referral, other_tenant_user):
    assert referral_figures_for(user=caseworker_c) == []
    assert referral_figures_for(user=other_tenant_user) == []
