"""Creating and editing a programme: its texts, organisers and events."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.auth.services import find_user_by_email, normalise_email
from consult.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event
from consult.events.services.cloning import clone_event
from consult.events.services.common import require_organiser
from consult.events.services.slugs import slugify
from consult.extensions import db
from consult.programmes.models import Programme, ProgrammeOrganiser, ProgrammeTemplate
from consult.text import clean_text


def require_editor(actor, programme: Programme) -> None:
    """PermissionDenied unless the actor is an admin or organises the programme."""
    if not programme.editable_by(actor):
        raise PermissionDenied(_("You cannot edit this programme."))


def _texts(name: str, description: str) -> tuple[str, str]:
    problems = Problems()
    name = problems.take(clean_text, name, "name", max_length=200, required=True)
    description = problems.take(
        clean_text, description, "description", max_length=20000
    )
    problems.raise_any()
    return name, description


def _unique_slug(name: str) -> str:
    base = slugify(name)
    candidate, n = base, 1
    while db.session.scalar(select(Programme.id).where(Programme.slug == candidate)):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create_programme(actor, name: str, description: str, *, now: datetime):
    """A new programme organised by the actor (an organiser account)."""
    require_organiser(actor)
    name, description = _texts(name, description)
    programme = Programme(
        slug=_unique_slug(name),
        name=name,
        description_md=description,
        created_at=now,
        updated_at=now,
    )
    programme.organisers.append(ProgrammeOrganiser(user_id=actor.id, added_at=now))
    db.session.add(programme)
    db.session.flush()
    return programme


def update_programme(programme, actor, name: str, description: str, *, now):
    """Change the programme's name and description (its address stays)."""
    require_editor(actor, programme)
    programme.name, programme.description_md = _texts(name, description)
    programme.updated_at = now
    db.session.flush()
    return programme


def add_organiser(programme: Programme, actor, email: str, *, now: datetime):
    """Let an existing organiser account edit the programme."""
    require_editor(actor, programme)
    address = normalise_email(email)
    user = find_user_by_email(address)
    if user is None or not user.is_active or not user.can_organise:
        raise ValidationFailed(
            _("%(email)s is not an active organiser account.", email=address),
            field="email",
        )
    if any(link.user_id == user.id for link in programme.organisers):
        raise ValidationFailed(
            _("%(email)s organises this programme already.", email=address),
            field="email",
        )
    link = ProgrammeOrganiser(user=user, added_at=now)
    programme.organisers.append(link)
    programme.updated_at = now
    db.session.flush()
    return link


def remove_organiser(programme: Programme, actor, user_id: int, *, now: datetime):
    """Withdraw an organiser's rights; the last one stays."""
    require_editor(actor, programme)
    link = next((o for o in programme.organisers if o.user_id == user_id), None)
    if link is None:
        raise NotFound(_("That person does not organise this programme."))
    if len(programme.organisers) == 1:
        raise ValidationFailed(_("A programme keeps at least one organiser."))
    programme.organisers.remove(link)
    programme.updated_at = now
    db.session.flush()
    return programme


def _managed_event(actor, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(actor, event):
        raise ValidationFailed(
            _("Choose one of the events you manage."), field="event_id"
        )
    return event


def attach_event(programme: Programme, actor, event_id: int, *, now: datetime):
    """Put an event the actor manages into the programme."""
    require_editor(actor, programme)
    event = _managed_event(actor, event_id)
    event.programme_id = programme.id
    programme.updated_at = now
    db.session.flush()
    return event


def detach_event(programme: Programme, actor, event_id: int, *, now: datetime):
    """Take one of the programme's events out of it (and off its template)."""
    require_editor(actor, programme)
    event = db.session.get(Event, event_id)
    if event is None or event.programme_id != programme.id:
        raise NotFound(_("That event is not part of this programme."))
    if not can_manage(actor, event):
        raise PermissionDenied(_("You cannot manage this event."))
    if programme.template is not None and programme.template.event_id == event.id:
        programme.template = None
    event.programme_id = None
    programme.updated_at = now
    db.session.flush()
    return event


def set_template(programme: Programme, actor, event_id: int | None, *, now):
    """Make one of the programme's events its template (None: no template)."""
    require_editor(actor, programme)
    if event_id is None:
        programme.template = None
    else:
        event = db.session.get(Event, event_id)
        if event is None or event.programme_id != programme.id:
            raise ValidationFailed(
                _("Choose one of the programme's events."), field="event_id"
            )
        if programme.template is None:
            programme.template = ProgrammeTemplate(event_id=event.id)
        else:
            programme.template.event_id = event.id
    programme.updated_at = now
    db.session.flush()
    return programme


def new_event_from_template(programme: Programme, actor, *, now: datetime) -> Event:
    """A new draft of the programme cloned from its template with every part
    (consult/clone_parts.py); the actor must manage the template event."""
    require_editor(actor, programme)
    template = programme.template
    # An event moved to another programme since stops being this one's template.
    if template is None or template.event.programme_id != programme.id:
        raise ValidationFailed(_("Choose the programme's template event first."))
    clone = clone_event(template.event, actor, now=now, parts=None)
    clone.programme_id = programme.id
    db.session.flush()
    return clone
