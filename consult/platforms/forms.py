"""The organiser's form linking an event to a webinar platform."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from consult.forms import FlaskForm
from consult.platforms.services.linking import LinkData


class LinkForm(FlaskForm):
    platform = RadioField(
        _l("Platform"),
        choices=[
            SelectChoice("zoom", _l("Zoom")),
            SelectChoice("jitsi", _l("Jitsi Meet")),
        ],
        validators=[InputRequired(message=_l("Choose a platform."))],
    )
    kind = RadioField(
        _l("Zoom: meeting or webinar"),
        choices=[
            SelectChoice("meeting", _l("Meeting")),
            SelectChoice("webinar", _l("Webinar")),
        ],
        default="meeting",
        validators=[Optional()],
    )
    existing_id = StringField(
        _l("Existing meeting ID or room name (optional)"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "Leave empty to create a new Zoom meeting or a new Jitsi room. "
            "Otherwise enter the ID of a Zoom meeting or webinar that requires "
            "registration, or the name of a Jitsi room."
        ),
    )

    def to_data(self) -> LinkData:
        return LinkData(
            platform=self.platform.data or "",
            kind=self.kind.data or "meeting",
            existing_id=self.existing_id.data or "",
        )
