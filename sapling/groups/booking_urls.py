from __future__ import annotations

from django.urls import path

from sapling.groups import booking_views as views

app_name = "booking"
urlpatterns = [
    path("", views.list_open_training, name="list_open_training"),
    path("<int:pk>/", views.book_run, name="book_run"),
    path("booked/", views.booked, name="booked"),
    path("topic/", views.send_topic, name="send_topic"),
    path("topic/sent/", views.topic_sent, name="topic_sent"),
]
