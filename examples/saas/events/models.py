from django.conf import settings
from django.db import models


class Event(models.Model):
    """Something a user did in the product: the raw material of activity and retention metrics."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="events",
    )
    name = models.CharField(max_length=100)
    properties = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # "What did this user do lately?" is the most common query.
            models.Index(fields=["user", "-created_at"], name="events_user_recent_idx"),
        ]

    def __str__(self):
        return f"{self.name} by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
