"""Platform administration of accounts and roles. Every save goes through ``accounts.services``: the same
rules as the coordinator's staff page (one municipality per grant) and an audit event for each change."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from carenet.core.admin import AllTenantsAdmin

from . import services
from .models import Membership, User


def _adopt(instance: Any, saved: Any) -> None:
    """The admin goes on with its own instance (messages, log entry, redirect): make it the saved row."""
    vars(instance).update(vars(saved))


class _MembershipRules:
    """Shows the grant rules of ``accounts.services`` as form errors, before anything is saved."""

    actor: Any = None

    def _check_grant(self, form: forms.ModelForm, user: Any, organisation: Any, role: Any) -> None:
        if user is None or organisation is None or not role:
            return
        try:
            services.validate_membership(actor=self.actor, user=user, organisation=organisation, role=role)
        except PermissionDenied:
            form.add_error(None, _("You may not grant roles in this organisation's municipality."))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)


class MembershipAdminForm(_MembershipRules, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "is_supervisor", "is_active"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("is_active", True):
            instance = self.instance
            self._check_grant(
                self,
                data.get("user") or (instance.user if instance.user_id else None),
                data.get("organisation") or (instance.organisation if instance.organisation_id else None),
                data.get("role") or instance.role,
            )
        return data


class MembershipInlineForm(_MembershipRules, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role", "is_supervisor", "is_active"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        instance = self.instance
        if not instance._state.adding and (
            ("organisation" in self.changed_data and data.get("organisation") != instance.organisation)
            or ("role" in self.changed_data and data.get("role") != instance.role)
        ):
            self.add_error(None, _("Revoke this role and grant the new one instead of changing it."))
        elif data.get("is_active", True) and instance.user_id:
            self._check_grant(self, instance.user, data.get("organisation"), data.get("role"))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    fk_name = "user"
    extra = 0
    can_delete = False  # a role is revoked (inactive), never deleted: its history stays
    fields = ["organisation", "role", "is_supervisor", "is_active"]

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("MembershipInlineForm", (formset.form,), {"actor": request.user})
        return formset


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name", "municipality")
        field_classes = {"username": UsernameField}


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "municipality" in self.changed_data:
            try:
                services.validate_account_municipality(
                    user=User.objects.get(pk=self.instance.pk), municipality=data.get("municipality")
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["username", "email", "municipality", "is_active", "is_superuser"]
    list_filter = ["municipality", "is_active", "is_superuser"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("CareNet", {"fields": ("municipality", "preferred_language", "is_demo")}))
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "first_name", "last_name", "municipality"),
            },
        ),
        (_("Password"), {"classes": ("wide",), "fields": ("usable_password", "password1", "password2")}),
    )
    inlines = [MembershipInline]

    def get_inlines(self, request: Any, obj: Any) -> Any:
        return self.inlines if obj is not None else []  # roles are granted once the account exists

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            password = data.get("password1") if data.get("set_usable_password", True) else None
            saved = services.user_create(
                actor=request.user,
                username=obj.username,
                email=obj.email,
                municipality=obj.municipality,
                password=password or None,
                first_name=obj.first_name,
                last_name=obj.last_name,
            )
            _adopt(obj, saved)
            return
        editable = set(services.USER_FIELDS) | set(services.PLATFORM_USER_FIELDS)
        changed = {name: data[name] for name in form.changed_data if name in editable}
        services.user_update(actor=request.user, user=obj, **changed)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # the rows to grant or revoke; the services save them
        account = form.instance
        for membership in formset.new_objects:
            if membership.is_active:
                services.membership_grant(
                    actor=request.user,
                    user=account,
                    organisation=membership.organisation,
                    role=membership.role,
                    is_supervisor=membership.is_supervisor,
                )
        for membership, _fields in formset.changed_objects:
            _save_membership(request.user, membership)


def _save_membership(actor: Any, membership: Membership) -> Membership:
    if membership.is_active:
        return services.membership_grant(
            actor=actor,
            user=membership.user,
            organisation=membership.organisation,
            role=membership.role,
            is_supervisor=membership.is_supervisor,
        )
    return services.membership_revoke(actor=actor, membership=membership)


@admin.register(Membership)
class MembershipAdmin(AllTenantsAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "is_supervisor", "is_active"]
    list_filter = ["municipality", "role"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("MembershipAdminForm", (form,), {"actor": request.user})

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return ["user", "organisation", "role", "is_supervisor"]
        return ["user", "organisation", "role", "is_supervisor", "is_active"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        # Another organisation or role is another grant: revoke this one and grant that one.
        return ["user", "organisation", "role"] if obj is not None else []

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # a role is revoked (inactive), never deleted: its history stays

    def save_model(self, request: Any, obj: Membership, form: Any, change: bool) -> None:
        _adopt(obj, _save_membership(request.user, obj))
