"""TOTP enrolment and verification (django-otp), kept out of the views."""

from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.audit.services import audit_record


def pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="CareNet", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def confirm_device(*, request: Any, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    audit_record(action="auth.2fa_enrolled", actor=device.user)
    return True


def verify_login(*, request: Any, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            audit_record(action="auth.2fa_verified", actor=request.user)
            return True
    audit_record(action="auth.2fa_failed", actor=request.user)
    return False
