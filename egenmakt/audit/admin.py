from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log can be read here but never changed or deleted."""

    list_display = ["occurred_at", "actor", "action", "outcome", "person_type", "person_id"]
    list_filter = ["action", "outcome", "emergency"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "person_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ChangeTrailAdmin(admin.ModelAdmin):
    """django-auditlog's change trail, read-only like the access log."""

    list_display = ["timestamp", "actor", "content_type", "object_repr", "action"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
