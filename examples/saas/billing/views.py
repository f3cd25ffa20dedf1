from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def billing_overview(request):
    subscription = request.user.subscriptions.first()
    return render(request, "billing/overview.html", {"subscription": subscription})
