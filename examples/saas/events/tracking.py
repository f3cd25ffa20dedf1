from .models import Event


def track(user, name, **properties):
    """Record that `user` did `name`. Anonymous users are not tracked."""
    if not user.is_authenticated:
        return None
    return Event.objects.create(user=user, name=name, properties=properties)
