"""Whole event lifetimes under a moving clock, as the scheduler lives them.

`Lifetime` drives the real scheduler jobs (``run_jobs_once``: reminders,
survey reminders, delivery) at chosen instants, with the test clock moved
there, and keeps every message the local SMTP server received with the
instant of the run that sent it. People act between runs through the pages
(the public form, their manage link) or the organiser's services.

Times a message states are read back as a person reads them: the line of the
text body that names the event's time, and the calendar invite's DTSTART.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from consult.extensions import db
from consult.scheduler.runner import run_job, run_jobs_once


def next_transitions(zone: str, after: datetime, count: int = 2) -> list[datetime]:
    """The next `count` UTC-offset changes of `zone` after `after` (hour precision)."""
    tz = ZoneInfo(zone)
    found = []
    moment = after.replace(minute=0, second=0, microsecond=0)
    offset = moment.astimezone(tz).utcoffset()
    while len(found) < count:
        moment += timedelta(hours=1)
        current = moment.astimezone(tz).utcoffset()
        if current != offset:
            found.append(moment)
            offset = current
    return found


def both_changes(after: datetime) -> tuple[datetime, datetime]:
    """The next season in which both Berlin and New York change their clocks:
    (the first change, the second), a week to three apart (spring or autumn)."""
    berlin = next_transitions("Europe/Berlin", after)[0]
    new_york = next_transitions("America/New_York", after)[0]
    if abs(berlin - new_york) > timedelta(days=30):
        # Start from the later one's season: the other changes near it too.
        later = max(berlin, new_york) - timedelta(days=30)
        return both_changes(later)
    return min(berlin, new_york), max(berlin, new_york)


@dataclass
class Delivered:
    at: datetime  # the scheduler run (or page request) that sent it
    recipient: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def calendar(self) -> str | None:
        for part in self.message.walk():
            if part.get_content_type() == "text/calendar":
                return part.get_content()
        return None

    def event_field(self, name: str) -> str | None:
        """A property of the invite's VEVENT (``DTSTART`` -> ``TZID=...:2027...``)."""
        calendar = self.calendar
        if calendar is None:
            return None
        unfolded = re.sub(r"\r?\n[ \t]", "", calendar)
        vevent = unfolded[unfolded.index("BEGIN:VEVENT") :]
        match = re.search(rf"^{name}[;:](.*)$", vevent, re.M)
        return match.group(1).strip() if match else None

    @property
    def method(self) -> str | None:
        calendar = self.calendar
        match = re.search(r"^METHOD:(\S+)", calendar or "", re.M)
        return match.group(1) if match else None

    def has_join_link(self, join_url: str) -> bool:
        return join_url in self.text


class Lifetime:
    """The scheduler's runs and everyone's inbox over one event's life."""

    def __init__(self, app, clock, sink) -> None:
        self.app = app
        self.clock = clock
        self.sink = sink
        self.delivered: list[Delivered] = []
        self.runs: list[datetime] = []
        self._seen = 0
        self.last: datetime | None = None

    def _collect(self, at: datetime) -> None:
        arrived = self.sink.received[self._seen :]
        self._seen += len(arrived)
        for received in arrived:
            for recipient in received.rcpt_tos:
                self.delivered.append(Delivered(at, recipient, received.message))

    def run(self, at: datetime, *, only: str | None = None) -> None:
        """One scheduler round at `at`: every job once, as the process runs them
        (or `only` that job: the reminders queued, not yet sent)."""
        db.session.commit()
        self.clock.move_to(at)
        if only:
            outcomes = [(only, run_job(self.app, only, at))]
        else:
            outcomes = run_jobs_once(self.app, now=at)
        for name, outcome in outcomes:
            assert not outcome.startswith("error"), f"{name} at {at}: {outcome}"
        self.runs.append(at)
        self.last = at
        db.session.expire_all()
        self._collect(at)

    def run_until(
        self,
        end: datetime,
        *,
        every: timedelta = timedelta(hours=3),
        also: Iterable[datetime] = (),
        down: tuple[datetime, datetime] | None = None,
    ) -> None:
        """Runs every `every` (and at each of `also`) from the last run to `end`,
        none while the scheduler is `down` (start, end)."""
        start = self.last or self.clock_now()
        moments = set()
        moment = start + every
        while moment <= end:
            moments.add(moment)
            moment += every
        moments.update(m for m in also if start < m <= end)
        for moment in sorted(moments):
            if down and down[0] <= moment < down[1]:
                continue
            self.run(moment)

    def act(self, at: datetime) -> None:
        """Move the clock to `at` for something a person does between runs."""
        db.session.commit()
        self.clock.move_to(at)
        self.last = at

    @staticmethod
    def clock_now() -> datetime:
        return datetime.now(UTC)

    def inbox(self, email: str) -> list[Delivered]:
        return [d for d in self.delivered if d.recipient == email]

    def subjects(self, email: str) -> list[str]:
        return [d.subject for d in self.inbox(email)]


def stated_time(delivered: Delivered) -> str:
    """The time the message tells the person the event starts, in their words:
    the "Your time:" line of a confirmation, the "Starts:" line of a reminder,
    else the first line that names a time of day."""
    lines = [line.strip() for line in delivered.text.splitlines()]
    for prefix in ("Your time: ", "Starts: "):
        for line in lines:
            if line.startswith(prefix):
                return line[len(prefix) :]
    for line in lines:
        if re.search(r"\b\d{1,2}:\d{2}\b", line):
            return line
    raise AssertionError(f"no time in {delivered.subject!r}:\n{delivered.text}")


def plan_moments(event) -> list[datetime]:
    """A minute after each moment the event's reminder plan names: the runs of
    a scheduler that runs every minute, where something can happen."""
    from consult.notifications.reminders import due_at
    from consult.notifications.reminders.plans import plan_items

    return [due_at(item, event) + timedelta(minutes=1) for item in plan_items(event)]
