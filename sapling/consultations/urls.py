"""Consultation after training: slots clinicians publish, bookings, and the advice given."""

from __future__ import annotations

from django.urls import path

from sapling.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.list_slots, name="list_slots"),
    path("add/", views.add_slot, name="add_slot"),
    path("<int:pk>/", views.show_slot, name="show_slot"),
    path("<int:pk>/withdraw/", views.withdraw_slot, name="withdraw_slot"),
    path("<int:pk>/record/", views.record_consultation, name="record_consultation"),
    # A partner's own bookings.
    path("mine/", views.list_my_consultations, name="list_my_consultations"),
    path("mine/book/", views.book_consultation, name="book_consultation"),
    # Attendees without an account: reached from /l/<token>/, swapped for a session.
    path("book/", views.book_with_link, name="book_with_link"),
    path("book/booked/", views.booking_confirmed, name="booking_confirmed"),
]
