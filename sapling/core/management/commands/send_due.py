from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from sapling.core.outbox import MAX_ATTEMPTS, SendCounts, send_due


class Command(BaseCommand):
    help = (
        "Send every message that is due (waiting-list checks, resources, invitations, "
        "reminders, questionnaires, consultation booking links after universal training, "
        "statutory advice coming due to its writer). "
        "Idempotent: running it twice, or two runs at once, "
        "sends nothing twice. Carers who may not be contacted are never sent anything; "
        f"failed sends are retried with growing delays up to {MAX_ATTEMPTS} attempts; "
        "letters are put on the print list."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from sapling.care.messages import schedule_contact_reminders
        from sapling.children.notices import schedule_advice_reminders
        from sapling.consultations.invitations import schedule_booking_invitations
        from sapling.groups.notices import schedule_reminders
        from sapling.outcomes.administration import schedule_measures
        from sapling.waitlist.checkins import schedule_waiting_well

        now = timezone.now()
        # Queue what waiting well owes families first (idempotent), then send it all.
        well = schedule_waiting_well(now)
        self.stdout.write(
            f"waiting well: {well.resources} resource messages and {well.check_ins} "
            f"check-ins queued, {well.prompted} unanswered check-ins passed to a clinician"
        )
        invited = schedule_booking_invitations(now)
        self.stdout.write(f"consultations: {invited} booking invitations queued")
        reminders = schedule_reminders(now)
        self.stdout.write(f"groups: {reminders} session reminders queued")
        contacts = schedule_contact_reminders(now)
        self.stdout.write(f"specialist care: {contacts} contact reminders queued")
        measures = schedule_measures(now)
        self.stdout.write(
            f"outcome measures: {measures.made} due, {measures.sent} sent, "
            f"{measures.reminded} reminders, "
            f"{measures.not_sent} could not be sent (for paper)"
        )
        advice = schedule_advice_reminders(now)
        self.stdout.write(f"statutory advice: {advice} reminders to writers queued")
        counts = send_due(now, progress=self._progress)
        self.stdout.write(self._summary(counts))
        if counts.stuck:
            self.stderr.write(
                f"{counts.stuck} message(s) have been 'sending' for over an hour: a run "
                "stopped mid-send. Check whether they arrived before sending them again."
            )

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            self.stdout.write(f"{done}/{total} due messages processed")

    @staticmethod
    def _summary(counts: SendCounts) -> str:
        return (
            f"sent {counts.sent}, for print {counts.for_print}, "
            f"to retry {counts.retrying}, failed {counts.failed}, "
            f"suppressed {counts.suppressed}, already taken by another run {counts.skipped}"
        )
