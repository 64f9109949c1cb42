from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "carenet.referrals"
    label = "referrals"
