"""Attendance reports written for a test's event day (never a fixed date)."""

from __future__ import annotations

from datetime import date, datetime, time


def _stamp(day: date, clock: str) -> str:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute)).strftime("%m/%d/%Y %I:%M:%S %p")


def zoom_meeting(
    day: date,
    people: list[tuple[str, str, str, str, int]],
    *,
    host_email: str = "organiser@example.org",
) -> bytes:
    """A Zoom meeting participants report: (name, email, join, leave, minutes),
    times as "HH:MM" on `day`, the host named in the summary as Zoom does."""
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),"
        "Participants",
        f"81234567890,Partners call,{_stamp(day, '15:58')},{_stamp(day, '18:05')},"
        f"{host_email},128,{len(people)}",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ]
    for name, email, join, leave, minutes in people:
        lines.append(
            f'"{name}",{email},{_stamp(day, join)},{_stamp(day, leave)},{minutes},Yes'
        )
    return ("\n".join(lines) + "\n").encode()


HOST = ("Consult Organiser", "organiser@example.org", "15:58", "18:05", 128)
