from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Account", {"fields": ("company", "timezone", "marketing_opt_in", "stripe_customer_id")}),
    )
    list_display = ("username", "email", "company", "is_active", "date_joined")
    list_filter = BaseUserAdmin.list_filter + ("marketing_opt_in",)
    search_fields = ("username", "email", "company", "stripe_customer_id")
