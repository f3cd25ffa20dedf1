from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from events.tracking import track


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    track(user, "login")
