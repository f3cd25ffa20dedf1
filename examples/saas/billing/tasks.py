import logging

from celery import shared_task

from . import stripe_client
from .models import Subscription

logger = logging.getLogger(__name__)


@shared_task
def sync_subscriptions():
    """Refresh every subscription that is not canceled from Stripe (scheduled nightly in settings)."""
    updated = 0
    open_subscriptions = Subscription.objects.exclude(status=Subscription.Status.CANCELED)
    for subscription in open_subscriptions.iterator():
        fields = stripe_client.fetch_subscription(subscription.stripe_subscription_id)
        for name, value in fields.items():
            setattr(subscription, name, value)
        subscription.save(update_fields=[*fields, "updated_at"])
        updated += 1
    logger.info("Synced %d Stripe subscriptions", updated)
    return updated
