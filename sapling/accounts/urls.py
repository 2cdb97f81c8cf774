from __future__ import annotations

from django.urls import path

from sapling.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_user, name="login"),
    path("logout/", views.logout_user, name="logout"),
]
