from __future__ import annotations

from django.urls import path

from sapling.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("messages/", views.list_messages, name="list_messages"),
    path("messages/<int:pk>/print/", views.print_letter, name="print_letter"),
]
