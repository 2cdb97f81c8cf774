"""Consultation after training: slots clinicians publish, bookings, and the advice given."""
