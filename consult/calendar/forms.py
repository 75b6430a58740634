"""The one form of the calendar pages: a CSRF-protected revoke button."""

from consult.forms import FlaskForm


class RevokeFeedForm(FlaskForm):
    """Replace the private feed address; the old one stops working."""
