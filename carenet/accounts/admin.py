from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from carenet.core.admin import AllTenantsAdmin

from .models import Membership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "municipality", "is_active", "is_superuser"]
    list_filter = ["municipality", "is_active", "is_superuser"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("CareNet", {"fields": ("municipality", "preferred_language", "is_demo")}))  # type: ignore[operator,misc]


@admin.register(Membership)
class MembershipAdmin(AllTenantsAdmin):
    list_display = ["user", "organisation", "role", "is_supervisor", "is_active"]
    list_filter = ["municipality", "role"]
