"""What Zoom and Teams write in their attendance reports: columns, sections, dates."""

from __future__ import annotations

import re

# Zoom webinar and meeting reports; the header names are what Zoom writes.
ZOOM_COLUMNS = {
    "name": ("user name (original name)", "name (original name)", "name"),
    "email": ("email", "user email"),
    "join": ("join time",),
    "leave": ("leave time",),
    "minutes": ("time in session (minutes)", "duration (minutes)"),
    "role": ("role", "user role"),
}
# Columns some exports leave out: a header without them is still a header.
OPTIONAL_COLUMNS = ("role", "leave")
# Zoom meeting reports name the host in the summary above the participants.
ZOOM_SUMMARY_MARKS = ("meeting id", "topic")
ZOOM_HOST_EMAIL_COLUMNS = ("user email", "host email")
# What Zoom appends to a display name: "Consult Organiser (Host)".
ZOOM_NAME_ROLE = re.compile(
    r"^(?P<name>.*?)\s*\((?P<role>co-?host|host)(?:,\s*me)?\)$", re.I
)
# Teams: "2. Participants" has a total per person, "3. In-Meeting Activities"
# (and older single-section exports) one row per join.
TEAMS_TOTAL_COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email",),
    "join": ("first join",),
    "leave": ("last leave",),
    "duration": ("in-meeting duration",),
    "role": ("role",),
}
TEAMS_JOIN_COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email",),
    "join": ("join time",),
    "leave": ("leave time",),
    "duration": ("duration",),
    "role": ("role",),
}
TEAMS_HEADERS = (TEAMS_TOTAL_COLUMNS, TEAMS_JOIN_COLUMNS)
ZOOM_SECTIONS = {
    "host details": "host",
    "panelist details": "panelist",
    "attendee details": "attendee",
}
# Tried in order; the first that reads every timestamp of the file wins, so a
# day-first export is not misread one row at a time.
ZOOM_DATE_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
TEAMS_DATE_FORMATS = (
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%d/%m/%Y, %H:%M:%S",
    "%d/%m/%y, %H:%M:%S",
    "%d.%m.%y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d, %H:%M:%S",
)
DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+)\s*s)?$"
)
CLOCK_DURATION = re.compile(r"^(?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2})$")
