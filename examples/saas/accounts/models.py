from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A customer of the product. Each user belongs to one company and pays through Stripe."""

    company = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    marketing_opt_in = models.BooleanField(
        default=False,
        help_text="The user agreed to receive product news and tips by email.",
    )

    def __str__(self):
        return self.email or self.username
