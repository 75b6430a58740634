"""The programme an organiser puts their event in (consult.programmes)."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.programmes.models import Programme


def choose_programme(actor, event: Event | None, data) -> Programme | None:
    """The programme ``data`` puts the event in, checked: one the actor
    organises, or the one the event is in already. None: no programme (or
    ``data`` leaves the programme alone)."""
    if not data.set_programme or data.programme_id is None:
        return None
    if event is not None and event.programme_id == data.programme_id:
        return event.programme
    programme = db.session.get(Programme, data.programme_id)
    if programme is None or not programme.editable_by(actor):
        raise ValidationFailed(
            _("Choose one of the programmes you organise."), field="programme"
        )
    return programme
