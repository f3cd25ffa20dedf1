"""The one place that talks to Stripe, so tests can patch a single module."""
from datetime import datetime, timezone

import stripe
from django.conf import settings

stripe.api_key = settings.STRIPE_SECRET_KEY


def get_or_create_customer(user):
    """Return the user's Stripe customer id, creating the customer on first use."""
    if user.stripe_customer_id:
        return user.stripe_customer_id
    customer = stripe.Customer.create(
        email=user.email,
        name=user.get_full_name() or user.username,
        metadata={"user_id": str(user.pk), "company": user.company},
    )
    user.stripe_customer_id = customer["id"]
    user.save(update_fields=["stripe_customer_id"])
    return customer["id"]


def fetch_subscription(stripe_subscription_id):
    """Return the fields we mirror locally for one Stripe subscription."""
    remote = stripe.Subscription.retrieve(stripe_subscription_id)
    return {
        "status": remote["status"],
        "cancel_at_period_end": remote["cancel_at_period_end"],
        "current_period_end": datetime.fromtimestamp(remote["current_period_end"], tz=timezone.utc),
    }
