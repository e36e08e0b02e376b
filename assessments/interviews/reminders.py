"""Reminders for scorecards not submitted: the first an hour after the interview,
then one a day until the scorecard is submitted. Sent by a Celery beat task with
the e-mail backend of the settings (console by default)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Interview, Scorecard, ScorecardReminder, ScorecardState

FIRST_AFTER = timedelta(hours=1)
THEN_EVERY = timedelta(days=1)


def scorecard_reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    interviews = Interview.objects.filter(scheduled_at__lte=now - FIRST_AFTER).select_related("candidate")
    for interview in interviews.prefetch_related("interviewers"):
        submitted = set(
            Scorecard.objects.filter(interview=interview, state=ScorecardState.SUBMITTED).values_list(
                "interviewer_id", flat=True
            )
        )
        for person in interview.interviewers.all():
            if person.pk in submitted or not person.email:
                continue
            last = ScorecardReminder.objects.filter(interview=interview, interviewer=person).first()
            if last is not None and last.sent_at > now - THEN_EVERY:
                continue
            with transaction.atomic():
                # Recorded first: a crash after sending means one reminder less, never a flood.
                ScorecardReminder.objects.create(interview=interview, interviewer=person, sent_at=now)
                url = settings.SITE_URL.rstrip("/") + reverse("interviews:scorecard_form", args=[interview.pk])
                send_mail(
                    subject=f"Scorecard to submit: {interview.candidate.full_name}",
                    message=(
                        f"Your scorecard for the interview with {interview.candidate.full_name} "
                        f"({interview.scheduled_at:%Y-%m-%d %H:%M}) is not submitted yet.\n\nFill it in: {url}\n"
                    ),
                    from_email=None,
                    recipient_list=[person.email],
                )
            sent += 1
    return sent
