"""Platform administration (superusers only): the one place that lists across tenants."""

from django.contrib import admin

from .models import BackgroundJob, Municipality, Organisation


class AllTenantsAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model.objects.all_tenants()

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "currency", "statistical_code"]


@admin.register(Organisation)
class OrganisationAdmin(AllTenantsAdmin):
    list_display = ["name", "municipality", "kind", "sector", "is_provider"]
    list_filter = ["municipality", "kind", "sector"]
    search_fields = ["name", "code"]


@admin.register(BackgroundJob)
class BackgroundJobAdmin(AllTenantsAdmin):
    list_display = ["title", "municipality", "status", "progress", "created_at"]
