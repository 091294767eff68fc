from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "subject_repr", "actor"]
    list_filter = ["action"]
    search_fields = ["action", "subject_repr", "actor__email"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
