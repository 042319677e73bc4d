"""User admin with the user's role assignments inline."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from smartcommune.accounts.models import RoleAssignment


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "unit", "agency", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["unit"]


User = get_user_model()
# Replace the stock registration rather than subclassing it elsewhere: one User admin.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, RoleAssignmentInline]
