"""Dashboard forms: publishing the public results page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from consult.dashboard.services.publication import NOTE_MAX
from consult.forms import FlaskForm


class PublishForm(FlaskForm):
    note = TextAreaField(
        _l("Note shown above the results (optional, Markdown)"),
        validators=[Length(max=NOTE_MAX)],
        description=_l(
            "A few words for the public: what happens next with the results."
        ),
    )
    submit = SubmitField(_l("Publish the results page"))


class UnpublishForm(FlaskForm):
    submit = SubmitField(_l("Take the results page down"))
