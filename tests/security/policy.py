"""Which routes are public, which are organiser pages, and who may use them.

Shared by the access matrix, the CSRF and GET sweeps and the header checks.
"""

from __future__ import annotations

# Routes anyone may use, with why. Slug routes among them must still hide
# drafts (checked below); token routes are checked as bearer links.
PUBLIC = {
    "events.index": "the list of published events",
    "events.detail": "an event's public page",
    "events.favicon": "the site icon browsers ask for",
    "events.privacy": "an event's privacy notice, linked from its consent boxes",
    "events.site_privacy": "the site's own privacy page, linked from the footer",
    "calendar.event_ics": "an event's public calendar file",
    "challenges.public": "an event's challenges and published inputs",
    "contributions.call": "the call for contributions",
    "contributions.submit": "anyone may propose a contribution",
    "contributions.public_slides": "slides of accepted proposals, once public",
    "contributions.resend_link": "a proposer asks for their links by email",
    "registration.register": "the registration form",
    "dashboard.public_results": "results the organiser chose to publish",
    "dashboard.results_version": "an earlier published version of those results",
    "library.index": "the public library",
    "library.detail": "a published library entry",
    "opendata.results_json": "published results as JSON (404 until published)",
    "opendata.results_table": "published results as CSV (404 until published)",
    "opendata.library_json": "the public library as JSON",
    "opendata.library_table": "the public library as CSV",
    "auth.login": "the login form",
    "auth.logout": "logging out",
    "auth.reset_request": "asking for a password-reset email",
    "auth.reset_password": "a bearer link from the reset email",
    "surveys.public_answer": "a survey's public link (a bearer link)",
    "i18n.choose": "the language menu: sets the visitor's language cookie only",
    "notifications.sms_inbound": (
        "the SMS gateway's inbound webhook: refused (403) without the gateway's "
        "signature over the URL and parameters"
    ),
    "registration.short_manage": "an SMS's short manage link (a bearer link)",
    "actions.plan_pdf": "a city plan's published actions as PDF (404 without)",
    "actions.plan_xlsx": "a city plan's published actions as a workbook",
    "actions.plan_csv": "a city plan's published actions as CSV",
    "actions.plan_milestones_csv": "the published actions' milestones as CSV",
    "actions.public_plan": (
        "a city's action plan: its published actions only (404 while none is)"
    ),
    "actions.plan_version": "an adopted version of a city's plan, a public record",
    "actions.public_plan_ics": "the milestones of a plan's published actions",
    "programmes.page": ("a programme's public page: published events and counts only"),
    "api_docs.openapi_json": "the API's OpenAPI document (no data)",
    "api_docs.docs": "the API's reference, rendered from that document",
    "live.room": (
        "the live room: a participant's page only with the pass the manage "
        "link gives (403 without), drafts hidden"
    ),
    "live.state": "the live room's state document: 403 without the pass",
    "live.ask_question": "asking in the live room: 403 without the pass",
    "live.vote": "an upvote in the live room: 403 without the pass",
    "live.answer": "a poll answer in the live room: 403 without the pass",
    "cities.page": (
        "a city's public page: its published events only, priorities once "
        "results are published, published actions only"
    ),
}
# Organiser pages that are not about one event or object: each organiser sees
# their own things there (events.manage_index lists only theirs: checked).
OWN_SCOPE = {
    "events.manage_index",
    "events.create",
    "library.manage",
    "library.new_resource",
    "dashboard.overview",
    "contributions.my_reviews",
    "auth.change_password",
    "auth.account",
    "api_tokens.tokens",
    "programmes.index",
    "programmes.create",
}
# Pages an admin only may open; event organisers are refused too.
ADMIN_ONLY = {"notifications.outbox", "notifications.retry"}
# What a reviewer of event A (an expert account) may open.
REVIEWER_ALLOWED = {
    "contributions.manage",  # the proposals to rate; averages only once rated
    "contributions.my_reviews",
    "contributions.review",
    "contributions.rate_proposal",
    "contributions.staff_slides",
    "auth.change_password",
    "auth.account",
    "api_tokens.tokens",  # its own tokens: they do what the account may
}
# What a facilitator of event A may open besides its facilitator pages
# (/facilitate/<slug>/..., which show only the people it registered): its
# account. Never the organiser pages: registrant list, exports, dashboard.
# /manage/reviews lists the events the account reviews (none, unless an
# organiser also made it a reviewer): its own scope, no organiser page.
FACILITATOR_ALLOWED = {
    "auth.change_password",
    "auth.account",
    "api_tokens.tokens",
    "contributions.my_reviews",
}
# Routes whose ids name things their token holder owns alone: another
# participant's token must not open them.
OWN_OBJECT_ROUTES = {
    "challenges.edit_input": {"registration": "manage2", "expert": "expert2"}
}


def is_facilitator_page(rule) -> bool:
    """A facilitator's page (its events, an event's people it registered): for
    facilitator accounts only, not organisers or admins (they have theirs)."""
    return rule.rule.startswith("/facilitate/")


def is_manage(rule) -> bool:
    """A page for signed-in accounts: organiser, facilitator, own account."""
    return rule.rule.startswith(
        ("/manage/", "/facilitate/", "/auth/account/")
    ) or rule.endpoint in (
        "auth.change_password",
        "auth.account",
    )


def is_api(rule) -> bool:
    """An /api/v1 resource: bearer tokens only, checked by test_api_matrix.py
    (its docs and OpenAPI document are PUBLIC)."""
    return rule.rule.startswith("/api/v1/") and rule.endpoint not in PUBLIC


def is_token(rule) -> bool:
    return "token" in rule.arguments


def actor_for(rule, world) -> int | None:
    """The user entitled to the route (None: anonymous or a token holder)."""
    if rule.endpoint in ADMIN_ONLY:
        return world.admin_id
    if is_facilitator_page(rule):
        return world.facilitator_id
    if is_manage(rule):
        return world.a.owner_id
    return None
