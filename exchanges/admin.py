"""Read-only admin for exchanges: every change goes through the portal's services (row lock,
guards, audit), never through a bare admin form."""

from django.contrib import admin

from .models import Activity, Exchange, ExchangeGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["date", "activity_type", "title", "hours", "is_extra", "approved_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "visitor", "host", "vop", "hop", "mode", "start_date", "status"]
    list_filter = ["status", "mode", "vop", "hop"]
    search_fields = ["reference", "visitor__legal_name", "host__legal_name"]
    list_select_related = ["visitor", "host", "vop", "hop"]
    date_hierarchy = "start_date"
    inlines = [ActivityInline]


@admin.register(ExchangeGroup)
class ExchangeGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "host", "vop", "hop", "start_date", "end_date"]
    list_select_related = ["host", "vop", "hop"]
    search_fields = ["name", "host__legal_name"]
