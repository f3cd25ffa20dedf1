from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views as account_views
from billing import views as billing_views

urlpatterns = [
    path("", account_views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("billing/", billing_views.billing_overview, name="billing"),
    path("admin/", admin.site.urls),
]
