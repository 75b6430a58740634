"""What pages, exports and charts call the challenges' stored keys.

Beside the keys rather than in the forms, so services (the inputs export) and
the dashboard's figures read them without importing a forms module.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "problem_insight": _l("Problem insight"),
    "best_practice": _l("Best practice"),
    "solution_idea": _l("Solution idea"),
    "pilot_proposal": _l("Pilot project proposal"),
    "expert_question": _l("Question for the experts"),
}
KIND_HELP = {
    "problem_insight": _l("What blocks progress here?"),
    "best_practice": _l("Something that worked elsewhere, and what it achieved."),
    "solution_idea": _l("An idea that could help with a challenge."),
    "pilot_proposal": _l("A pilot project: who leads it, with whom, budget, timeline."),
    "expert_question": _l("A question you would like the experts to answer."),
}
STATE_LABELS = {
    "submitted": _l("Awaiting moderation"),
    "published": _l("Published"),
    "hidden": _l("Hidden"),
    "merged": _l("Merged"),
}
BUDGET_LABELS = {
    "": _l("Not known yet"),
    "under_10k": _l("Under €10,000"),
    "10k_50k": _l("€10,000 – €50,000"),
    "50k_250k": _l("€50,000 – €250,000"),
    "250k_1m": _l("€250,000 – €1 million"),
    "over_1m": _l("Over €1 million"),
}
METHOD_LABELS = {
    "points": _l("Distribute 10 points"),
    "ranking": _l("Rank the challenges"),
}
