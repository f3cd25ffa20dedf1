from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from events.tracking import track


@login_required
def dashboard(request):
    track(request.user, "dashboard.viewed")
    recent_events = request.user.events.all()[:10]
    return render(request, "accounts/dashboard.html", {"recent_events": recent_events})
