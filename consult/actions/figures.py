"""The public plan's charts (server-side SVG with their tables)."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.actions.labels import STATUS_LABELS
from consult.actions.services.public_priorities import SHOWN, ChallengePriorities
from consult.charts import Chart, bar_chart


def status_chart(summary) -> Chart:
    """How many published actions are in each status."""
    return bar_chart(
        _("Actions by status"),
        [(str(STATUS_LABELS[status]), n) for status, n in summary.by_status],
        value_label=_("Actions"),
        chart_id="plan-statuses",
    )


def priority_chart(priorities: ChallengePriorities, challenge_id: int) -> Chart | None:
    """Each group's share of its points given to the challenge, with the
    challenge's rank among that group's priorities; None without figures."""
    if priorities is None or priorities.state != SHOWN or not priorities.groups:
        return None
    groups = priorities.groups
    return bar_chart(
        _("Share of each stakeholder group's points given to this challenge"),
        [
            (_("%(label)s (n = %(n)d)", label=g.label, n=g.ballots), float(g.share))
            for g in groups
        ],
        value_label=_("Share of the group's points (%)"),
        value_texts=[
            _(
                "%(share)s%% · rank %(rank)d of %(n)d",
                share=g.share,
                rank=g.rank,
                n=priorities.challenges,
            )
            for g in groups
        ],
        max_value=100,
        chart_id=f"priorities-{challenge_id}",
    )
