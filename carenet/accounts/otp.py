"""TOTP enrolment and verification (django-otp), kept out of the views."""

import logging
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.audit.services import audit_record
from carenet.core.policy import actor_of


def pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="CareNet", confirmed=False)


def base32_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32 (RFC 4648, no padding), in groups of four."""
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


logger = logging.getLogger(__name__)


def passes_second_factor(user: Any) -> bool:
    """Whether this signed-in user's session may reach staff pages and the API: a user with a device has
    given its code; where 2FA is required (production), a user who sees personal data has a device."""
    if user.is_verified():
        return True
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    return not (settings.CARENET_REQUIRE_2FA and actor_of(user).sees_personal_data)


def may_change_device(request: Any) -> bool:
    """A first device may be set up after the password alone; adding or replacing one needs a session
    verified with the present device (issue 26, High 1: otherwise the password alone would be enough)."""
    user = request.user
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return not has_device or bool(user.is_verified())


@transaction.atomic
def confirm_device(*, request: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device; it replaces the user's previous ones. Audited; the user is told by e-mail."""
    if not may_change_device(request):
        raise PermissionError("a verified session is needed to change the second factor")
    if not device.verify_token(token):
        return False
    user = device.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
    otp_login(request, device)
    audit_record(action="auth.2fa_replaced" if replaced else "auth.2fa_enrolled", actor=user)
    _tell_owner(user, replaced=bool(replaced))
    return True


def _tell_owner(user: Any, *, replaced: bool) -> None:
    if not user.email:
        return
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("CareNet: your two-step sign-in was changed")
        body = (
            _("A new authenticator app replaced the one you used for two-step sign-in to CareNet.")
            if replaced
            else _("Two-step sign-in to CareNet is now on for your account.")
        )
        body += "\n\n" + _("If this was not you, tell your coordinator at once and change your password.")

    def send() -> None:
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # a mail outage must not undo the change
            logger.exception("second-factor notice e-mail failed")

    transaction.on_commit(send)


def verify_login(*, request: Any, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            audit_record(action="auth.2fa_verified", actor=request.user)
            return True
    audit_record(action="auth.2fa_failed", actor=request.user)
    return False
