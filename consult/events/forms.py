"""Forms for the organiser pages. Rules live in the services; forms parse input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from consult.clone_parts import clone_parts
from consult.dial_in import numbers_as_text
from consult.events.services import EventData, PartnerCityData, SessionData, SpeakerData
from consult.events.services.agenda import MAX_SPEAKERS
from consult.forms import EmailField, FlaskForm, Form, IntegerField, WallClockField
from consult.numbers import MAX_SEATS
from consult.zone_field import TimezoneField

BLANK_SPEAKER_ROWS = 2


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[Length(max=100)],
        description=_l(
            "The last part of the event's address: lower-case letters, digits and "
            "hyphens. Leave empty to make one from the title. Changing it later "
            "breaks links already shared."
        ),
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Length(max=500)],
        description=_l("One or two sentences shown in event lists."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20000)],
        description=_l("Markdown: **bold**, *italic*, lists, links, ## headings."),
    )
    host_city = StringField(_l("Host city"), validators=[Length(max=120)])
    host_country = StringField(_l("Host country"), validators=[Length(max=120)])
    partner_cities = TextAreaField(
        _l("Partner cities"),
        description=_l("One per line: City, Country (e.g. Brussels, Belgium)."),
    )
    topics = TextAreaField(_l("Topics"), description=_l("One topic per line."))
    # Choices: no programme, and those the organiser organises (the route
    # fills them, ``set_programme_choices``); the service checks the choice.
    programme = SelectField(
        _l("Programme"),
        choices=[],
        validate_choice=False,
        description=_l("The cooperation programme this event is part of, if any."),
    )
    timezone = TimezoneField(
        _l("Time zone"),
        validators=[DataRequired()],
        default="UTC",
        description=_l("Start and end below are times in this zone."),
    )
    start = WallClockField(_l("Starts"), required=True)
    end = WallClockField(_l("Ends"), required=True)
    join_url = StringField(
        _l("Online join URL"),
        validators=[Length(max=500)],
        description=_l(
            "Zoom, Teams or similar (https://…). Never shown on public pages."
        ),
    )
    dial_in_numbers = TextAreaField(
        _l("Dial-in numbers"),
        validators=[Length(max=6000)],
        description=_l(
            "For people joining by phone. One number per line: the country's "
            "two-letter code, the number, and a label if you like, separated by "
            "commas (e.g. MY, +60 3 2123 4567, toll-free). Confirmed people only "
            "see them, with their own country's number first."
        ),
    )
    dial_in_code = StringField(
        _l("Dial-in access code"),
        validators=[Length(max=32)],
        description=_l("Digits, # and * (e.g. 812 3456 7890#). Optional."),
    )
    slides_url = StringField(
        _l("Slides"),
        validators=[Length(max=500)],
        description=_l(
            "A public link to the slides (https://…), shown on the event page and "
            "in the thank-you email."
        ),
    )
    recording_url = StringField(
        _l("Recording"),
        validators=[Length(max=500)],
        description=_l(
            "A public link to the recording, shown on the event page and in the "
            "follow-up emails."
        ),
    )
    capacity = IntegerField(
        _l("Capacity"),
        low=0,
        high=MAX_SEATS,
        validators=[Optional()],
        description=_l("Leave empty for no limit."),
    )
    registration_opens = WallClockField(
        _l("Registration opens"), required=False, description=_l("Optional.")
    )
    registration_closes = WallClockField(
        _l("Registration closes"),
        required=False,
        description=_l("Optional; no later than the end of the event."),
    )

    @classmethod
    def for_event(cls, event, **kwargs):
        """A form filled with the event's values, times in its own zone."""
        zone = event.timezone
        form = cls(
            data={
                "title": event.title,
                "slug": event.slug,
                "summary": event.summary,
                "description": event.description_md,
                "host_city": event.host_city,
                "host_country": event.host_country,
                "partner_cities": "\n".join(
                    f"{c.name}, {c.country}" if c.country else c.name
                    for c in event.partner_cities
                ),
                "topics": "\n".join(event.topics or []),
                "programme": str(event.programme_id or ""),
                "timezone": zone,
                "start": WallClockField.from_instant(event.start_at, zone),
                "end": WallClockField.from_instant(event.end_at, zone),
                "join_url": event.join_url,
                "dial_in_numbers": numbers_as_text(event),
                "dial_in_code": event.dial_in_code,
                "slides_url": event.slides_url,
                "recording_url": event.recording_url,
                "capacity": event.capacity,
                "registration_opens": WallClockField.from_instant(
                    event.registration_opens_at, zone
                ),
                "registration_closes": WallClockField.from_instant(
                    event.registration_closes_at, zone
                ),
            },
            **kwargs,
        )
        form.timezone.first = (zone,)
        return form

    def to_data(self) -> EventData:
        cities = []
        for line in _lines(self.partner_cities.data):
            name, _sep, country = line.partition(",")
            cities.append(PartnerCityData(name=name.strip(), country=country.strip()))
        return EventData(
            title=self.title.data or "",
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            host_city=self.host_city.data or "",
            host_country=self.host_country.data or "",
            partner_cities=cities,
            topics=_lines(self.topics.data),
            timezone=self.timezone.data or "",
            start=self.start.data,
            end=self.end.data,
            join_url=self.join_url.data or "",
            dial_in_numbers=self.dial_in_numbers.data or "",
            dial_in_code=self.dial_in_code.data or "",
            slides_url=self.slides_url.data or "",
            recording_url=self.recording_url.data or "",
            capacity=self.capacity.data,
            registration_opens=self.registration_opens.data,
            registration_closes=self.registration_closes.data,
            programme_id=_programme_id(self.programme.data),
            set_programme=True,
        )

    def set_programme_choices(self, programmes) -> None:
        """No programme, then ``programmes`` by name."""
        self.programme.choices = [("", _l("No programme"))] + [
            (str(p.id), p.name) for p in programmes
        ]


def _programme_id(value: str | None) -> int | None:
    text = (value or "").strip()
    # A value that is no id is refused by the service like a foreign one.
    return int(text) if text.isdigit() and len(text) < 10 else (-1 if text else None)


class SpeakerRow(Form):
    """One speaker line of the session form; an empty row is ignored."""

    name = StringField(_l("Name"), validators=[Length(max=200)])
    affiliation = StringField(_l("Affiliation"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    country = StringField(_l("Country"), validators=[Length(max=120)])
    bio = TextAreaField(_l("Short bio"), validators=[Length(max=2000)])
    remove = BooleanField(_l("Remove this speaker"))

    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip()
            for f in (self.name, self.affiliation, self.city, self.country, self.bio)
        )

    def validate_name(self, field):
        if (
            not self.remove.data
            and not self.is_blank()
            and not (field.data or "").strip()
        ):
            raise ValidationError(_l("Every speaker needs a name."))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    start = WallClockField(_l("Starts"), required=True)
    end = WallClockField(_l("Ends"), required=True)
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10000)],
        description=_l("Optional. Markdown is allowed."),
    )
    speakers = FieldList(
        FormField(SpeakerRow),
        min_entries=BLANK_SPEAKER_ROWS,
        # Bounds the work a forged POST with thousands of rows can cause.
        max_entries=MAX_SPEAKERS + BLANK_SPEAKER_ROWS,
    )

    @classmethod
    def for_session(cls, session, **kwargs):
        zone = session.event.timezone
        speakers = [
            {
                "name": s.name,
                "affiliation": s.affiliation,
                "city": s.city,
                "country": s.country,
                "bio": s.bio,
            }
            for s in session.speakers
        ]
        form = cls(
            data={
                "title": session.title,
                "start": WallClockField.from_instant(session.start_at, zone),
                "end": WallClockField.from_instant(session.end_at, zone),
                "description": session.description_md,
                "speakers": speakers,
            },
            **kwargs,
        )
        form.add_blank_speaker_rows()
        return form

    def add_blank_speaker_rows(self) -> None:
        """Spare rows so a speaker can be added without JavaScript."""
        blanks = sum(1 for entry in self.speakers if entry.form.is_blank())
        for _i in range(BLANK_SPEAKER_ROWS - blanks):
            if len(self.speakers.entries) >= self.speakers.max_entries:
                break
            self.speakers.append_entry()

    def to_data(self) -> SessionData:
        speakers = [
            SpeakerData(
                name=row.name.data or "",
                affiliation=row.affiliation.data or "",
                city=row.city.data or "",
                country=row.country.data or "",
                bio=row.bio.data or "",
            )
            for row in (entry.form for entry in self.speakers)
            if not row.remove.data and not row.is_blank()
        ]
        return SessionData(
            title=self.title.data or "",
            start=self.start.data,
            end=self.end.data,
            description=self.description.data or "",
            speakers=speakers,
        )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Shown on the event page, e.g. a new date or who to contact."),
    )


class EmailSenderForm(FlaskForm):
    """Who the event's emails say they are from (consult.addresses.checked_sender)."""

    sender_name = StringField(
        _l("Sender name"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "Shown as the sender of every email of this event, e.g. "
            "“Petaling Jaya City Council via Consult”. Leave empty for the "
            "site’s name."
        ),
    )
    reply_to = EmailField(
        _l("Replies go to"),
        validators=[Optional(), Length(max=254)],
        description=_l(
            "An address you read: replies to the event’s emails go there. "
            "Leave empty and replies go to the site’s address, which nobody may read."
        ),
    )


class CoOrganiserForm(FlaskForm):
    email = EmailField(
        _l("Email address of an organiser account"),
        validators=[DataRequired(), Length(max=254)],
    )


class ContentLanguagesForm(FlaskForm):
    """The language the event's texts are written in, and the others offered."""

    default = SelectField(_l("The event's texts are written in"))
    others = SelectMultipleField(
        _l("Also offer them in"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        description=_l(
            "Visitors who read one of these languages see your translations; "
            "a text not translated yet is shown in the language above, marked."
        ),
    )

    def __init__(self, *args, languages: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(languages.items())
        self.default.choices = choices
        self.others.choices = choices


class PrivacyNoticeForm(FlaskForm):
    text_md = TextAreaField(
        _l("Privacy notice"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l(
            "Markdown. Saving a changed text makes it a new version: new "
            "consents record the new number, earlier ones keep theirs."
        ),
    )


class CloneForm(FlaskForm):
    """Which parts of the event's set-up the clone copies (each registered in
    consult/clone_parts.py); every part is ticked at first."""

    @classmethod
    def for_parts(cls) -> CloneForm:
        class PartsForm(cls):
            pass

        for part in clone_parts():
            field = BooleanField(part.label, description=part.explanation, default=True)
            setattr(PartsForm, part.key, field)
        return PartsForm()

    def part_fields(self) -> list:
        return [self[part.key] for part in clone_parts()]

    def chosen(self) -> list[str]:
        return [part.key for part in clone_parts() if self[part.key].data]
