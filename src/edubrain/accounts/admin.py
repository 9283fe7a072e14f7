from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from edubrain.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "role", "org_unit", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    list_select_related = ("org_unit",)
    fieldsets = (*DjangoUserAdmin.fieldsets, ("角色与范围", {"fields": ("role", "org_unit")}))
    autocomplete_fields = ("org_unit",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used")
    readonly_fields = ("prefix", "created", "last_used")
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
