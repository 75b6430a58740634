"""Every state-changing route has a test that checks what it committed.

`EFFECT_TESTS` maps each endpoint that accepts POST, PUT, PATCH or DELETE to
the test that posts to it and reads its effect back with `committed()` (see
tests/effects.py): rows or outbox messages as committed, not as the shared
test session still holds them. A new endpoint without an entry fails here;
so does an entry whose test is gone or no longer reads committed data.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from consult import create_app

ROOT = Path(__file__).resolve().parent.parent
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

ACTIONS = "tests/actions/test_committed_effects.py::"
API = "tests/api/test_committed_effects.py::"
_API_REGISTRATIONS = API + "test_api_registration_writes_are_committed"
_API_TOKENS = API + "test_token_page_writes_are_committed"
_API_ATTENDANCE = "tests/api/test_attendance.py::test_an_applied_import_is_committed"
_API_WEBHOOKS = "tests/api/test_webhooks_api.py::test_webhook_api_writes_are_committed"
AUTH = "tests/auth/test_committed_effects.py::"
CHALLENGES = "tests/challenges/test_committed_effects.py::"
MODERATION = "tests/challenges/test_moderation_effects.py::"
CONTRIBUTIONS = "tests/contributions/test_committed_effects.py::"
DASHBOARD = "tests/dashboard/test_committed_effects.py::"
DIRECTORY = "tests/directory/test_pages.py::"
_DIR_PROFILE = DIRECTORY + "test_profile_opt_in_and_out_is_committed"
_DIR_REQUEST = DIRECTORY + "test_request_accept_and_decline_are_committed"
_DIR_SAFETY = DIRECTORY + "test_block_and_report_are_committed"
EVENTS = "tests/events/test_committed_effects.py::"
LIVE = "tests/live/test_pages.py::"
_LIVE_ASK = LIVE + "test_asking_and_voting_through_the_pages"
_LIVE_POLL = LIVE + "test_a_poll_through_the_pages"
_LIVE_SETTINGS = LIVE + "test_settings_cohosts_and_merge_are_committed"
LIBRARY = "tests/library/test_committed_effects.py::"
NOTIFICATIONS = "tests/notifications/reminders/test_committed_effects.py::"
REGISTRATION = "tests/registration/test_committed_effects.py::"
PARTICIPANT = "tests/registration/test_committed_participant_effects.py::"
SURVEYS = "tests/surveys/test_committed_effects.py::"
WEBHOOKS = "tests/webhooks/test_pages.py::"
_WEBHOOK_ACTIONS = WEBHOOKS + "test_edit_pause_resume_ping_and_delete"
PLATFORMS = "tests/platforms/test_pages.py::"
_PLATFORM = PLATFORMS + "test_link_retry_report_and_unlink_are_committed"
_FACILITATION = (
    "tests/facilitators/test_pages.py::"
    "test_invite_password_register_by_phone_and_priorities_are_committed"
)
_ON_BEHALF = (
    "tests/facilitators/test_on_behalf_pages.py::"
    "test_a_person_reached_by_phone_takes_part_fully_and_counts"
)
_PAPER = "tests/facilitators/test_paper_pages.py::"
_PAPER_ENTRY = _PAPER + "test_a_facilitator_prints_and_enters_sheets"
_PAPER_IMPORT = _PAPER + "test_a_csv_import_with_bad_rows_creates_nothing"
_PAPER_ORGANISER = _PAPER + "test_organisers_enter_sheets_and_other_facilitators_cannot"

_PROGRAMME = "tests/programmes/test_pages.py::test_the_journey_from_pages_is_committed"
_PROGRAMME_MORE = (
    "tests/programmes/test_pages.py::test_removals_template_and_city_are_committed"
)
_EVENT_LIFECYCLE = EVENTS + "test_create_edit_publish_cancel_and_clone_are_committed"
_AGENDA = EVENTS + "test_agenda_sessions_are_committed"
_DECISIONS = REGISTRATION + "test_decisions_on_registrants_are_committed"
_UNDO = (
    "tests/registration/test_confirm_pages.py::"
    "test_a_cancellation_says_what_it_does_then_can_be_undone"
)
_SETTINGS = (
    REGISTRATION + "test_registration_settings_types_and_questions_are_committed"
)
_PEOPLE = REGISTRATION + "test_assisted_registration_and_bulk_message_are_committed"
_OWN = PARTICIPANT + "test_own_details_cancel_and_erase_are_committed"
_ATTENDANCE = (
    PARTICIPANT + "test_attendance_preview_stores_nothing_and_apply_is_committed"
)
_HAND_LINK = (
    "tests/registration/test_attendance_link_pages.py::"
    "test_a_row_linked_by_hand_survives_check_again_and_is_applied"
)
_BUILDER = SURVEYS + "test_building_a_survey_is_committed"
_ANSWERS = SURVEYS + "test_answers_are_committed"
_MAILING = SURVEYS + "test_invitations_and_reminders_are_committed"
_LIST = CHALLENGES + "test_challenge_list_and_window_are_committed"
_AUTHORS = CHALLENGES + "test_authors_inputs_supports_and_priorities_are_committed"
_PUBLISH = CHALLENGES + "test_publishing_and_expert_decisions_are_committed"
_PROPOSER = CONTRIBUTIONS + "test_proposers_pages_are_committed"
_REVIEW = CONTRIBUTIONS + "test_call_reviewers_ratings_and_decisions_are_committed"
_CITY = CONTRIBUTIONS + "test_city_representatives_and_their_challenges_are_committed"
_PLAN = NOTIFICATIONS + "test_reminder_plan_changes_are_committed"
_RETRY = NOTIFICATIONS + "test_retries_are_committed"
_CONTROLS = NOTIFICATIONS + "test_organiser_controls_are_committed"
_LOGIN = AUTH + "test_login_records_the_time_and_logout_ends_the_session"
_RESET = AUTH + "test_reset_request_and_reset_are_committed"
_PLAN_EDIT = ACTIONS + "test_organiser_plan_editing_is_committed"
_COVENANT = (
    "tests/covenant/test_committed_effects.py::test_add_edit_and_delete_are_committed"
)
_PLAN_REP = ACTIONS + "test_representative_plan_editing_is_committed"
_PLAN_ENDPOINTS = (
    "action_step",
    "delete_action",
    "edit_action",
    "edit_milestone",
    "milestone_done",
    "milestone_step",
    "new_action",
    "new_milestone",
    "plan",
    "start_plan",
    "versions",
)

_ACTION_EDITORS = (
    "tests/actions/test_progress_pages.py::test_owner_and_updates_are_committed"
)
_ACTION_OWNER = "tests/actions/test_progress_pages.py::test_owner_pages_are_committed"

EFFECT_TESTS: dict[str, tuple[str, ...]] = {
    "actions.delete_update": (_ACTION_EDITORS,),
    "actions.edit_update_page": (_ACTION_EDITORS,),
    "actions.owner_language": (_ACTION_OWNER,),
    "actions.owner_milestone_done": (_ACTION_OWNER,),
    "actions.owner_page": (_ACTION_OWNER,),
    "actions.post_update": (_ACTION_EDITORS,),
    "actions.remove_owner": (_ACTION_EDITORS,),
    "actions.resend_owner_link": (_ACTION_EDITORS,),
    "actions.set_owner": (_ACTION_EDITORS,),
    **{f"actions.{name}": (_PLAN_EDIT,) for name in _PLAN_ENDPOINTS},
    **{f"covenant.{name}": (_COVENANT,) for name in ("new", "edit", "delete")},
    **{f"actions.rep_{name}": (_PLAN_REP,) for name in _PLAN_ENDPOINTS},
    "api_attendance.import_attendance": (_API_ATTENDANCE,),
    "api_registrations.cancel": (_API_REGISTRATIONS,),
    "api_registrations.check_in": (_API_REGISTRATIONS,),
    "api_registrations.create_registration": (_API_REGISTRATIONS,),
    "api_tokens.revoke": (_API_TOKENS,),
    **{
        f"api_webhooks.{name}": (_API_WEBHOOKS,)
        for name in ("create_webhook", "webhook", "pause", "resume", "resend")
    },
    "api_tokens.tokens": (_API_TOKENS,),
    "auth.account": (AUTH + "test_account_language_is_committed",),
    "auth.change_password": (AUTH + "test_password_change_is_committed",),
    "auth.login": (_LOGIN,),
    "auth.logout": (_LOGIN,),
    "auth.reset_password": (_RESET,),
    "auth.reset_request": (_RESET,),
    "calendar.revoke": (PARTICIPANT + "test_revoking_the_calendar_feed_is_committed",),
    "live.add_cohost_route": (_LIVE_SETTINGS,),
    "live.answer": (_LIVE_POLL,),
    "live.ask_question": (_LIVE_ASK,),
    "live.merge_question": (_LIVE_SETTINGS,),
    "live.moderate_question": (_LIVE_ASK,),
    "live.new_poll": (_LIVE_POLL,),
    "live.poll_action": (_LIVE_POLL,),
    "live.remove_cohost_route": (_LIVE_SETTINGS,),
    "live.settings": (_LIVE_SETTINGS,),
    "live.vote": (_LIVE_ASK,),
    "directory.accept": (_DIR_REQUEST,),
    "directory.block_person": (_DIR_SAFETY,),
    "directory.decline": (_DIR_REQUEST,),
    "directory.leave": (_DIR_PROFILE,),
    "directory.manage_dismiss": (_DIR_SAFETY,),
    "directory.manage_remove": (_DIR_SAFETY,),
    "directory.new_request": (_DIR_REQUEST,),
    "directory.profile": (_DIR_PROFILE,),
    "directory.report_person": (_DIR_SAFETY,),
    "challenges.edit_input": (_AUTHORS,),
    "challenges.expert_home": (CHALLENGES + "test_expert_profile_is_committed",),
    "challenges.manage": (_LIST,),
    "challenges.manage_challenge_action": (_LIST,),
    "challenges.manage_edit": (
        MODERATION + "test_editing_a_challenge_is_committed",
        "tests/challenges/test_lineage.py::test_the_edit_form_offers_and_saves_the_link",
    ),
    "challenges.manage_expert_decision": (_PUBLISH,),
    "challenges.manage_experts": (_PUBLISH,),
    "challenges.manage_hide": (MODERATION + "test_hiding_an_input_is_committed",),
    "challenges.manage_merge": (MODERATION + "test_merging_an_input_is_committed",),
    "challenges.manage_moderation": (
        MODERATION + "test_moderation_fields_are_committed",
        MODERATION + "test_a_refused_moderation_shows_why_and_changes_nothing",
    ),
    "challenges.manage_publish": (_PUBLISH,),
    "challenges.manage_window": (_LIST,),
    "challenges.new_input": (_AUTHORS,),
    "challenges.priorities": (_AUTHORS,),
    "challenges.support": (_AUTHORS,),
    "contributions.call_settings": (_REVIEW,),
    "contributions.city_decide": (
        _CITY,
        CONTRIBUTIONS + "test_approving_a_city_challenge_is_committed",
    ),
    "contributions.city_edit": (_CITY,),
    "contributions.city_home": (_CITY,),
    "contributions.city_language": (_CITY,),
    "contributions.city_revoke": (_CITY,),
    "contributions.decide_proposal": (_REVIEW,),
    "contributions.drop_slides": (_PROPOSER,),
    "contributions.edit": (_PROPOSER,),
    "contributions.erase": (_PROPOSER,),
    "contributions.manage_city": (_CITY,),
    "contributions.place": (_REVIEW,),
    "contributions.proposal_language": (_PROPOSER,),
    "contributions.rate_proposal": (_REVIEW,),
    "contributions.resend_link": (CONTRIBUTIONS + "test_lost_link_email_is_committed",),
    "contributions.reviewer_remove": (_REVIEW,),
    "contributions.reviewers": (_REVIEW,),
    "contributions.submit": (_PROPOSER,),
    "contributions.withdraw": (_PROPOSER,),
    "dashboard.prepare": (
        "tests/dashboard/test_export_jobs.py::"
        "test_organiser_prepares_and_downloads_the_workbook_logged",
    ),
    "dashboard.publish": (
        DASHBOARD + "test_publishing_and_unpublishing_results_are_committed",
    ),
    "dashboard.unpublish": (
        DASHBOARD + "test_publishing_and_unpublishing_results_are_committed",
    ),
    "dashboard.report_notes": (
        DASHBOARD + "test_saving_key_findings_keeps_each_version",
    ),
    "events.cancel": (_EVENT_LIFECYCLE,),
    "events.clone": (
        _EVENT_LIFECYCLE,
        EVENTS.replace("test_committed_effects", "test_clone_form")
        + "test_the_form_copies_the_ticked_parts_only",
    ),
    "events.create": (_EVENT_LIFECYCLE,),
    "events.edit": (_EVENT_LIFECYCLE,),
    "events.email_sender": (
        "tests/notifications/test_event_sender.py::"
        "test_the_sender_page_refuses_bad_input_and_keeps_it",
    ),
    "events.languages": (
        EVENTS + "test_content_languages_and_translations_are_committed",
    ),
    "events.organiser_remove": (EVENTS + "test_co_organisers_are_committed",),
    "events.organisers": (EVENTS + "test_co_organisers_are_committed",),
    "facilitators.manage": (_FACILITATION,),
    "facilitators.new_input": (_ON_BEHALF,),
    "facilitators.paper_print": (_PAPER_ENTRY,),
    "facilitators.paper_enter": (_PAPER_ENTRY,),
    "facilitators.paper_import": (_PAPER_IMPORT,),
    "facilitators.paper_import_confirm": (_PAPER_IMPORT,),
    "facilitators.manage_paper_print": (_PAPER_ORGANISER,),
    "facilitators.manage_paper_enter": (_PAPER_ORGANISER,),
    "facilitators.manage_paper_import": (_PAPER_ORGANISER,),
    "facilitators.manage_paper_import_confirm": (_PAPER_ORGANISER,),
    "facilitators.priorities": (_FACILITATION,),
    "facilitators.register": (_FACILITATION,),
    "facilitators.remove": (_FACILITATION,),
    "facilitators.survey": (_ON_BEHALF,),
    "events.privacy_edit": (
        "tests/events/test_privacy_notice.py::"
        "test_the_organiser_edits_the_notice_through_its_page",
    ),
    "events.publish": (_EVENT_LIFECYCLE,),
    "events.save_texts": (
        EVENTS + "test_content_languages_and_translations_are_committed",
    ),
    "events.session_delete": (_AGENDA,),
    "events.session_edit": (_AGENDA,),
    "events.session_new": (_AGENDA,),
    "library.delete_resource_view": (LIBRARY + "test_resources_are_committed",),
    "library.edit_resource": (LIBRARY + "test_resources_are_committed",),
    "library.new_resource": (LIBRARY + "test_resources_are_committed",),
    "notifications.cancel_event_emails": (_CONTROLS,),
    "notifications.edit_plan_item": (_PLAN,),
    "notifications.event_retry": (_RETRY,),
    "notifications.new_plan_item": (_PLAN,),
    "notifications.pause_event_messages": (_CONTROLS,),
    "notifications.resume_event_messages": (_CONTROLS,),
    "notifications.retry": (_RETRY,),
    "notifications.test_plan_item": (_CONTROLS,),
    "notifications.toggle_plan_item": (_PLAN,),
    "notifications.sms_inbound": (
        "tests/sms/test_inbound_stop.py::test_a_signed_stop_is_committed",
    ),
    "notifications.unsubscribe": (
        NOTIFICATIONS + "test_one_click_unsubscribe_is_committed",
    ),
    "registration.attendance_apply": (_ATTENDANCE, _HAND_LINK),
    "registration.attendance_complete": (
        PARTICIPANT + "test_attendance_complete_button_is_committed",
    ),
    "registration.attendance_import": (_ATTENDANCE,),
    "registration.manage_approve": (_DECISIONS,),
    "registration.manage_assisted": (_PEOPLE,),
    "registration.manage_bulk": (
        _DECISIONS,
        "tests/registration/test_registrant_list.py::"
        "test_bulk_check_in_of_all_matching_registrants_is_committed",
    ),
    "registration.manage_cancel": (_DECISIONS, _UNDO),
    "registration.manage_check_in": (REGISTRATION + "test_check_in_is_committed",),
    "registration.manage_confirm": (_DECISIONS,),
    "registration.manage_erase": (
        "tests/registration/test_organiser_erasure.py::"
        "test_without_javascript_a_plain_post_only_shows_the_numbers",
    ),
    "registration.manage_change_type": (_DECISIONS,),
    "registration.manage_message": (
        _PEOPLE,
        "tests/registration/test_bulk_message.py::"
        "test_the_organiser_writes_a_text_per_language_from_the_pages",
        "tests/registration/test_message_checks.py::"
        "test_review_then_send_through_the_page",
        "tests/registration/test_message_checks.py::"
        "test_a_test_through_the_page_reaches_the_organiser_only",
    ),
    "registration.manage_question_edit": (_SETTINGS,),
    "registration.manage_question_move": (_SETTINGS,),
    "registration.manage_question_new": (_SETTINGS,),
    "registration.manage_question_remove": (_SETTINGS,),
    "registration.manage_reject": (_DECISIONS,),
    "registration.manage_settings": (_SETTINGS,),
    "registration.manage_type_add": (_SETTINGS,),
    "registration.manage_type_edit": (_SETTINGS,),
    "registration.manage_type_remove": (_SETTINGS,),
    "registration.manage_undo": (_UNDO,),
    "registration.manage_waitlist": (
        _DECISIONS,
        "tests/registration/test_waitlist_confirm.py::"
        "test_without_javascript_a_plain_post_only_shows_the_plan",
    ),
    "platforms.fetch_report": (_PLATFORM,),
    "platforms.manage": (_PLATFORM,),
    "platforms.retry": (_PLATFORM,),
    "platforms.retry_meeting": (
        PLATFORMS + "test_retry_of_a_failed_meeting_is_committed",
    ),
    "platforms.unlink": (_PLATFORM,),
    "programmes.add_city_pair": (_PROGRAMME,),
    "programmes.add_organiser_to": (_PROGRAMME,),
    "programmes.attach": (_PROGRAMME,),
    "programmes.create": (_PROGRAMME,),
    "programmes.detach": (_PROGRAMME_MORE,),
    "programmes.edit": (_PROGRAMME,),
    "programmes.edit_city": (_PROGRAMME_MORE,),
    "programmes.new_from_template": (_PROGRAMME_MORE,),
    "programmes.remove_city_pair": (_PROGRAMME_MORE,),
    "programmes.remove_organiser_from": (_PROGRAMME_MORE,),
    "programmes.template": (_PROGRAMME_MORE,),
    "registration.register": (
        PARTICIPANT + "test_registering_is_committed_with_its_email",
    ),
    "registration.self_cancel": (_OWN,),
    "registration.self_details": (_OWN,),
    "registration.self_sms": (
        "tests/sms/test_manage_sms.py::test_a_person_changes_their_number_and_turns_sms_off_and_on",
    ),
    "registration.self_erase": (_OWN,),
    "registration.thanks_resend": (
        PARTICIPANT + "test_a_resend_from_the_thank_you_page_is_committed",
    ),
    "surveys.answer": (_ANSWERS,),
    "surveys.invite": (_MAILING,),
    "surveys.manage_delete": (_BUILDER,),
    "surveys.manage_edit": (_BUILDER,),
    "surveys.manage_new": (_BUILDER,),
    "surveys.preview": (SURVEYS + "test_preview_stores_nothing",),
    "surveys.public_answer": (_ANSWERS,),
    "surveys.question_delete": (_BUILDER,),
    "surveys.question_edit": (_BUILDER,),
    "surveys.question_move": (_BUILDER,),
    "surveys.question_new": (_BUILDER,),
    "surveys.remind": (_MAILING,),
    "webhooks.create": (WEBHOOKS + "test_creating_shows_the_secret_once",),
    "webhooks.delete": (_WEBHOOK_ACTIONS,),
    "webhooks.edit": (_WEBHOOK_ACTIONS,),
    "webhooks.pause": (_WEBHOOK_ACTIONS,),
    "webhooks.ping": (_WEBHOOK_ACTIONS,),
    "webhooks.resend": (WEBHOOKS + "test_deliveries_page_and_resend",),
    "webhooks.resume": (_WEBHOOK_ACTIONS,),
}


def state_changing_endpoints() -> set[str]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if (rule.methods or set()) & WRITES
    }


@cache
def _functions(path: str) -> dict[str, ast.FunctionDef]:
    """The module-level functions of a test file, by name."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _called_names(path: str, name: str, seen: frozenset = frozenset()) -> set[str]:
    """Names a function calls, including through the file's own helpers."""
    local = _functions(path)
    names = set()
    for node in ast.walk(local[name]):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(getattr(target, "id", None) or getattr(target, "attr", ""))
    for helper in names & local.keys() - seen - {name}:
        names |= _called_names(path, helper, seen | {name})
    return names


def test_every_state_changing_endpoint_has_an_effect_test():
    endpoints = state_changing_endpoints()
    missing = sorted(endpoints - EFFECT_TESTS.keys())
    stale = sorted(EFFECT_TESTS.keys() - endpoints)
    assert not missing, f"state-changing endpoints without an effect test: {missing}"
    assert not stale, f"EFFECT_TESTS names endpoints that no longer exist: {stale}"


@pytest.mark.parametrize(
    "node_id", sorted({n for ids in EFFECT_TESTS.values() for n in ids})
)
def test_each_effect_test_exists_posts_and_reads_what_was_committed(node_id):
    path, _, name = node_id.partition("::")
    assert (ROOT / path).is_file(), f"{path} does not exist"
    assert name.startswith("test_") and name in _functions(path), (
        f"{node_id} is not a test function"
    )
    calls = _called_names(path, name)
    assert "post" in calls, f"{node_id} sends no POST"
    assert calls & {"committed", "committed_row"}, (
        f"{node_id} does not read committed data (tests/effects.py)"
    )
