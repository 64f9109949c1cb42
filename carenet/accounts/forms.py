from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation

from .models import ApiScope
from .permissions import GRANTABLE_ROLES


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("Enter the 6-digit code."), "min_length": _("Enter the 6-digit code.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has only digits."))
        return token


class UserCreateForm(forms.Form):
    """A new account of the coordinator's municipality; its owner sets the password through the reset link."""

    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("The user receives the link to set their password at this address.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})


class RoleGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=[(role.value, role.label) for role in GRANTABLE_ROLES])
    is_supervisor = forms.BooleanField(
        label=_("Supervisor"), required=False, help_text=_("Approves plans and closures of the organisation's cases.")
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where the token is used, for example “monthly report script”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("The token may"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=30,
        choices=[(7, _("7 days")), (30, _("30 days")), (90, _("90 days"))],
    )
