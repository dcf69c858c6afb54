"""iCalendar output: the private per-user feed and the one-interview download.

Interviews are written in the timezone they were arranged in (DTSTART;TZID=… with a VTIMEZONE),
so calendar apps keep them at the right wall-clock time across DST changes. Reminders are
written in UTC."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from accounts.models import User
from config.site import absolute_url
from tracking.models import Interview, Reminder

PRODID = "-//Jobtrail//Application tracker//EN"
FEED_WINDOW = timedelta(days=180)  # past events kept in the feed
REMINDER_LENGTH = timedelta(minutes=15)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _interview_event(interview: Interview) -> Event:
    application = interview.application
    tz = zoneinfo.ZoneInfo(interview.timezone)
    event = Event()
    event.add("uid", f"interview-{interview.pk}@jobtrail")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at.astimezone(tz))
    event.add("dtend", interview.ends_at.astimezone(tz))
    event.add(
        "summary",
        f"{interview.get_kind_display()} interview: {application.title} at "
        f"{application.company_name}",
    )
    lines = []
    if interview.people:
        lines.append(f"With: {interview.people}")
    if interview.prep_notes:
        lines.append(f"Preparation:\n{interview.prep_notes}")
    lines.append(absolute_url(application.get_absolute_url()))
    event.add("description", "\n\n".join(lines))
    if interview.location:
        event.add("location", interview.location)
        if interview.location.startswith(("https://", "http://")):
            event.add("url", interview.location)
    event.add("last-modified", interview.updated_at)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Interview in 30 minutes")
    alarm.add("trigger", timedelta(minutes=-30))
    event.add_component(alarm)
    return event


def _reminder_event(reminder: Reminder) -> Event:
    application = reminder.application
    event = Event()
    event.add("uid", f"reminder-{reminder.pk}@jobtrail")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", reminder.due_at.astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("dtend", (reminder.due_at + REMINDER_LENGTH).astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("summary", f"Follow up: {application.title} at {application.company_name}")
    event.add(
        "description",
        "\n\n".join(filter(None, [reminder.message, absolute_url(application.get_absolute_url())])),
    )
    return event


def _ics(cal: Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(*, user: User) -> bytes:
    since = timezone.now() - FEED_WINDOW
    cal = _calendar("Jobtrail: interviews and follow-ups")
    interviews = (
        Interview.objects.for_user(user)
        .filter(starts_at__gte=since)
        .select_related("application")
        .order_by("starts_at")
    )
    for interview in interviews:
        cal.add_component(_interview_event(interview))
    reminders = (
        Reminder.objects.for_user(user)
        .open()
        .filter(due_at__gte=since)
        .select_related("application")
        .order_by("due_at")
    )
    for reminder in reminders:
        cal.add_component(_reminder_event(reminder))
    return _ics(cal)


def interview_ics(*, interview: Interview) -> bytes:
    cal = _calendar("Jobtrail interview")
    cal.add("method", "PUBLISH")
    cal.add_component(_interview_event(interview))
    return _ics(cal)
