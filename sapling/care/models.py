"""The specialist tier: episodes of care, appointments, the clinical record and discharge."""
