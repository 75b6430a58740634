"""Input records for registering, and the checks the service applies to them.

The form checks the same things for friendly messages; these checks are the
rules, so a job, the CLI or a forged POST cannot skip them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from consult.auth.services import normalise_email
from consult.content import canonical_choice
from consult.errors import Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.languages import is_language
from consult.phones import can_receive_sms, normalise_phone
from consult.registration.countries import is_country
from consult.registration.models import ROLES, RegistrationQuestion, StakeholderType
from consult.text import clean_text, refuse_control_characters
from consult.timeutil import is_valid_timezone

ANSWER_MAX = 1000


@dataclass
class DetailsData:
    """What a registrant may correct later on their manage page."""

    full_name: str
    organisation: str = ""
    job_title: str = ""
    country: str = ""
    city: str = ""
    timezone: str = "UTC"
    # The language of messages to the person; None: not given (unchanged, or
    # the site's default for a new registration).
    language: str | None = None
    needs_interpretation: str = ""
    needs_captions: bool = False
    other_needs: str = ""
    consent_recording: bool = False
    consent_listing: bool = False
    consent_followup: bool = False


@dataclass
class RegistrationData(DetailsData):
    """Everything the registration form (or an organiser) submits."""

    email: str = ""
    phone: str = ""
    type_key: str = ""
    role: str = "attendee"
    consent_privacy: bool = False
    # The notice version the public form showed: a consent given to an
    # earlier text than the current one is refused. Empty: not asked.
    notice_version_seen: str = ""
    # "Send me SMS about this event" (needs a phone number).
    consent_sms: bool = False
    answers: dict[str, str] = field(default_factory=dict)  # question id -> value


def clean_details(data: DetailsData) -> dict:
    """Checked, trimmed column values of the correctable details (every
    problem raised together)."""
    problems = Problems()
    country = (data.country or "").strip().upper()
    if not is_country(country):
        problems.add(_("Choose your country from the list."), "country")
    if not is_valid_timezone(data.timezone):
        problems.add(_("Choose a time zone from the list."), "timezone")
    if data.language is not None and not is_language(data.language):
        problems.add(_("Choose a language from the list."), "language")
    language = {} if data.language is None else {"language": data.language}

    def text(value, field, max_length, required=False):
        return problems.take(
            clean_text, value, field, max_length=max_length, required=required
        )

    values = {
        **language,
        "full_name": text(data.full_name, "full_name", 200, required=True),
        "organisation": text(data.organisation, "organisation", 200),
        "job_title": text(data.job_title, "job_title", 200),
        "country": country,
        "city": text(data.city, "city", 120),
        "timezone": data.timezone,
        "needs_interpretation": text(
            data.needs_interpretation, "needs_interpretation", 200
        ),
        "needs_captions": bool(data.needs_captions),
        "other_needs": text(data.other_needs, "other_needs", 2000),
        "consent_recording": bool(data.consent_recording),
        "consent_listing": bool(data.consent_listing),
        "consent_followup": bool(data.consent_followup),
    }
    problems.raise_any()
    return values


def clean_contact(
    data: RegistrationData, *, assisted: bool, contact_optional: bool = False
) -> tuple[str | None, str]:
    """(normalised email or None, phone in E.164 or ''), or every problem
    with them together.

    Everyone may give a phone number instead of an email, or both; people a
    facilitator registers (``contact_optional``) may have neither: the
    facilitator is how they are reached. A number without ``+`` is read in
    the region of the person's country.
    """
    problems = Problems()
    phone = problems.take(_clean_phone, data)
    given = (data.email or "").strip()
    email = problems.take(normalise_email, given) if given else None
    if not given and phone is not None:
        if not phone and not contact_optional:
            problems.add(
                _("Give an email address or a mobile number (or both)."),
                "phone" if assisted else "email",
            )
        elif phone and not assisted and not data.consent_sms:
            # Their personal link can reach them by SMS only.
            problems.add(
                _(
                    "Without an email address we can only send you your "
                    "personal link by SMS: tick the box to receive SMS."
                ),
                "consent_sms",
            )
    problems.raise_any()
    return email, phone


def _clean_phone(data: RegistrationData) -> str:
    """The number in E.164 or '', checked against the SMS consent."""
    refuse_control_characters(data.phone or "", "phone")
    phone = normalise_phone(data.phone, (data.country or "").strip().upper())
    if data.consent_sms and not phone:
        raise ValidationFailed(
            _("Give a mobile number to receive SMS, or untick the box."), "phone"
        )
    if data.consent_sms and not can_receive_sms(phone):
        raise ValidationFailed(
            _("This number cannot receive SMS (it is not a mobile number)."), "phone"
        )
    return phone


def email_taken() -> ValidationFailed:
    """A facilitator's refusal of an address registered already (consult.facilitators)."""
    return ValidationFailed(
        _(
            "This email address is registered for this event already. "
            "The organisers can help with that registration."
        ),
        "email",
    )


def chosen_type(
    event: Event, key: str, types: list[StakeholderType] | None = None
) -> StakeholderType:
    """The event's type with this key; ``types``: the event's types, already loaded."""
    if types is not None:
        stakeholder_type = next((t for t in types if t.key == (key or "")), None)
    else:
        stakeholder_type = db.session.scalar(
            select(StakeholderType).where(
                StakeholderType.event_id == event.id,
                StakeholderType.key == (key or ""),
            )
        )
    if stakeholder_type is None:
        raise ValidationFailed(_("Choose the group you belong to."), "type_key")
    return stakeholder_type


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(_("Choose how you will take part."), "role")
    return role


def questions_for(
    event: Event,
    type_key: str | None = None,
    questions: list[RegistrationQuestion] | None = None,
) -> list[RegistrationQuestion]:
    """The event's questions, in order; only those shown for a type when given.

    ``questions``: all the event's questions, already loaded in this request.
    """
    if questions is None:
        questions = db.session.scalars(
            select(RegistrationQuestion)
            .where(RegistrationQuestion.event_id == event.id)
            .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
        )
    return [
        q
        for q in questions
        if type_key is None or not q.type_keys or type_key in q.type_keys
    ]


def clean_answers(
    event: Event,
    type_key: str,
    answers: dict[str, str],
    questions: list[RegistrationQuestion] | None = None,
) -> dict:
    """Answers to the chosen type's questions only, each checked against its
    kind; every question's problem raised together."""
    problems = Problems()
    cleaned = {}
    for question in questions_for(event, type_key, questions):
        value = problems.take(_clean_answer, question, answers)
        if value:
            cleaned[str(question.id)] = value
    problems.raise_any()
    return cleaned


def _clean_answer(question: RegistrationQuestion, answers: dict[str, str]) -> str:
    name = f"q_{question.id}"
    value = refuse_control_characters(
        (answers.get(str(question.id)) or "").strip(), name
    )
    if not value:
        if question.required:
            raise ValidationFailed(_("Please answer this question."), name)
        return ""
    if question.kind == "choice":
        # Stored as the canonical choice, whatever language it came in.
        value = canonical_choice(question, value)
        if value is None:
            raise ValidationFailed(_("Choose one of the options."), name)
    if question.kind == "yes_no" and value not in ("yes", "no"):
        raise ValidationFailed(_("Answer yes or no."), name)
    if len(value) > ANSWER_MAX:
        raise ValidationFailed(
            _("At most %(n)d characters, please.", n=ANSWER_MAX), name
        )
    return value
