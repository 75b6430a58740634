"""URLs for every rule of the app's URL map, filled from the fixture world.

A value is looked up by ``endpoint:argument``, then ``blueprint:argument``,
then ``argument``. A route whose argument no rule fills makes the access tests
fail (`MissingRule`), so a new route cannot escape them: add a rule here.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from tests.security.world import Side

IGNORED_METHODS = {"HEAD", "OPTIONS"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

# Which kind of bearer token each token route takes (`Side.tokens` keys).
TOKEN_KIND = {
    "actions.owner_language": "action_owner",
    "actions.owner_milestone_done": "action_owner",
    "actions.owner_page": "action_owner",
    "auth.reset_password": "reset",
    "calendar.feed": "feed",
    "calendar.invite_ics": "manage",
    "calendar.revoke": "manage",
    "challenges.expert_home": "expert",
    "challenges.participant_public": "manage",
    "challenges.priorities": "manage",
    "challenges.support": "manage",
    "actions.rep_action_step": "city",
    "actions.rep_delete_action": "city",
    "actions.rep_edit_action": "city",
    "actions.rep_edit_milestone": "city",
    "actions.rep_milestone_done": "city",
    "actions.rep_milestone_step": "city",
    "actions.rep_new_action": "city",
    "actions.rep_new_milestone": "city",
    "actions.rep_plan": "city",
    "actions.rep_start_plan": "city",
    "actions.rep_versions": "city",
    "contributions.city_edit": "city",
    "live.enter": "manage",
    "directory.accept": "manage",
    "directory.block_person": "manage",
    "directory.decline": "manage",
    "directory.leave": "manage",
    "directory.listing": "manage",
    "directory.new_request": "manage",
    "directory.profile": "manage",
    "directory.report_person": "manage",
    "directory.requests": "manage",
    "contributions.city_home": "city",
    "contributions.city_language": "city",
    "contributions.drop_slides": "proposal",
    "contributions.edit": "proposal",
    "contributions.erase": "proposal",
    "contributions.own_data": "proposal",
    "contributions.own_slides": "proposal",
    "contributions.proposal": "proposal",
    "contributions.proposal_language": "proposal",
    "contributions.withdraw": "proposal",
    "notifications.unsubscribe": "unsubscribe",
    "registration.manage": "manage",
    "registration.short_manage": "short_manage",
    "registration.self_cancel": "manage",
    "registration.self_details": "manage",
    "registration.self_sms": "manage",
    "registration.self_erase": "manage",
    "registration.self_export": "manage",
    "registration.thanks": "thanks",
    "registration.thanks_resend": "thanks",
    "surveys.answer": "survey",
    "surveys.public_answer": "public_survey",
}
# Routes under /events/<slug>/<who>/<token>/: the token follows `who`.
WHO_TOKEN = {"registration": "manage", "expert": "expert"}

# argument -> Side.ids key; "endpoint:arg" and "blueprint:arg" override "arg".
ID_RULES = {
    "action_id": "action",
    "milestone_id": "milestone",
    "actions:update_id": "action_update",
    "challenge_id": "challenge",
    "expert_id": "expert",
    "session_id": "session",
    "registration:question_id": "reg_question",
    "surveys:question_id": "survey_question",
    "type_id": "stakeholder_type",
    "registration_id": "registration",
    "facilitators:registration_id": "facilitated",
    "facilitator_id": "facilitator",
    "survey_id": "survey",
    "proposal_id": "proposal",
    "contributions:item_id": "city_item",
    "notifications:item_id": "plan_item",
    "rep_id": "rep",
    "reviewer_id": "reviewer",
    "email_id": "email",
    "user_id": "co_organiser",
    "library.detail:entry_id": "library_entry",
    "library:entry_id": "resource",
    "input_id": "input",
    "dashboard:job_id": "export_job",
    "programmes:user_id": "programme_organiser",
    "programmes:event_id": "event",
    "pair_id": "city_pair",
    "covenant:commitment_id": "commitment",
    "directory:person_id": "directory_person",
    "directory:request_id": "meeting_request",
    "directory:report_id": "directory_report",
    "webhooks:subscription_id": "webhook",
    "webhooks:delivery_id": "webhook_delivery",
    "api_tokens:token_id": "api_token",
    "api_registrations:registration_id": "registration",
    "live:question_id": "live_question",
    "live:poll_id": "live_poll",
    "api_library:entry_id": "library_entry",
    "api_webhooks:subscription_id": "webhook",
    "api_webhooks:delivery_id": "webhook_delivery",
}
# Plain string arguments with a fixed meaningful value.
CONSTANT_RULES = {
    "direction": "up",
    "dashboard.export:kind": "registrants",
    "dashboard.export:fmt": "csv",
    "dashboard.prepare:kind": "workbook",
    "dashboard.results_version:number": 1,
    "actions.plan_version:number": 1,
    "i18n.choose:code": "ms",
    "events.save_texts:language": "ms",
}


class MissingRule(Exception):
    """A URL argument no rule fills: the developer must add one."""


@dataclass(frozen=True)
class Target:
    rule: Rule
    url: str
    values: dict

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def methods(self) -> list[str]:
        return sorted(self.rule.methods - IGNORED_METHODS)


def _lookup(table: dict, endpoint: str, arg: str):
    blueprint = endpoint.partition(".")[0]
    for key in (f"{endpoint}:{arg}", f"{blueprint}:{arg}", arg):
        if key in table:
            return table[key]
    return None


def _value(rule: Rule, arg: str, side: Side, values: dict):
    endpoint = rule.endpoint
    if arg == "slug":
        return side.slug
    if arg == "city_slug":
        return side.city_slug
    if arg == "programme_slug":
        return side.programme_slug
    if arg == "token":
        kind = TOKEN_KIND.get(endpoint) or WHO_TOKEN.get(values.get("who"))
        if kind is None:
            raise MissingRule(f"{endpoint}: which token does <token> take?")
        return side.tokens[kind]
    if endpoint == "challenges.edit_input" and arg == "input_id":
        return side.ids["input" if values["who"] == "registration" else "expert_input"]
    key = _lookup(ID_RULES, endpoint, arg)
    if key is not None:
        return side.ids[key]
    constant = _lookup(CONSTANT_RULES, endpoint, arg)
    if constant is not None:
        return constant
    raise MissingRule(
        f"{endpoint} ({rule.rule}): no value for <{arg}>. Add a rule to "
        "tests/security/urls.py (ID_RULES, TOKEN_KIND or CONSTANT_RULES) and, "
        "if needed, the object to tests/security/world.py."
    )


def _ordered_args(rule: Rule) -> list[str]:
    # `who` first: the token depends on it.
    return sorted(rule.arguments, key=lambda a: (a != "who", a != "slug", a))


def targets_for(rule: Rule, side: Side, **overrides) -> list[Target]:
    """One URL per choice of the rule's `any(...)` arguments, for one side."""
    choices: list[dict] = [{}]
    for arg in _ordered_args(rule):
        converter = rule._converters.get(arg)
        if isinstance(converter, AnyConverter) and arg not in overrides:
            choices = [
                {**c, arg: item} for c in choices for item in sorted(converter.items)
            ]
    result = []
    for chosen in choices:
        values = dict(chosen)
        for arg in _ordered_args(rule):
            if arg in values:
                continue
            values[arg] = (
                overrides[arg] if arg in overrides else _value(rule, arg, side, values)
            )
        result.append(Target(rule, build(rule, values), values))
    return result


def build(rule: Rule, values: dict) -> str:
    _, path = rule.build(values, append_unknown=False)
    return path


def app_rules(app) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: r.rule,
    )
