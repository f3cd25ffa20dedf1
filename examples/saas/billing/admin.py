from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("stripe_subscription_id", "user", "status", "cancel_at_period_end", "current_period_end")
    list_filter = ("status", "cancel_at_period_end")
    search_fields = ("stripe_subscription_id", "user__email")
    raw_id_fields = ("user",)
