"""What the results resources answer, shaped from the services' own figures.

Nothing is counted here: every number comes from the service the organiser's
page calls (``survey_summary``, ``dashboard_data``, ``live_summary``,
``published_results``, the webhook services), with its small-group rule
already applied; these functions only pick fields and name them.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.shares import percent
from consult.surveys.results.stats import (
    ChoiceStats,
    MatrixStats,
    RankingStats,
    RatingStats,
    ScaleStats,
)
from consult.webhooks.models import DELIVERY_STATUSES

# ---- surveys ------------------------------------------------------------


def rate_view(rate) -> dict | None:
    if rate is None:
        return None
    return {
        "audience": rate.audience,
        "responded": rate.responded,
        "percent": rate.percent,
    }


def survey_view(summary, event, now) -> dict:
    survey, results = summary.survey, summary.results
    return {
        "id": survey.id,
        "title": survey.title,
        "kind": survey.kind,
        "audience": survey.audience,
        "anonymous": survey.anonymous,
        "status": survey.state(now),
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "responses": results.responses,
        "response_rate": rate_view(results.overall_rate),
        "results_hidden": results.hidden,
        "event_timezone": event.timezone,
    }


def _distribution(stats: ScaleStats) -> list[dict]:
    return [{"value": value, "count": count} for value, count in stats.distribution]


def _scale(stats: ScaleStats) -> dict:
    return {
        "n": stats.n,
        "mean": stats.mean,
        "median": stats.median,
        "minimum": stats.minimum,
        "maximum": stats.maximum,
        "distribution": _distribution(stats),
    }


def stats_view(stats) -> dict | None:
    """A question's statistics (``consult.surveys.results.stats``) as data."""
    if stats is None:
        return None
    if isinstance(stats, ChoiceStats):
        options = [
            {
                "option_id": row.option_id,
                "label": row.label if row.option_id is not None else _("Other"),
                "count": row.count,
                "percent": row.percent,
            }
            for row in stats.rows
        ]
        return {"n": stats.n, "options": options}
    if isinstance(stats, RatingStats):
        nps = stats.nps
        score = nps.shown
        return {
            **_scale(stats),
            "nps": {
                "promoters": nps.promoters,
                "passives": nps.passives,
                "detractors": nps.detractors,
                "score": None if score is None else int(score),
            },
        }
    if isinstance(stats, ScaleStats):
        return _scale(stats)
    if isinstance(stats, MatrixStats):
        statements = [
            {
                "option_id": s.option_id,
                "label": s.label,
                "hidden": s.hidden,
                "n": s.stats.n,
                "mean": s.stats.mean,
                "median": s.stats.median,
                "distribution": _distribution(s.stats),
            }
            for s in stats.statements
        ]
        return {"n": stats.n, "statements": statements}
    if isinstance(stats, RankingStats):
        items = [
            {
                "option_id": item.option_id,
                "label": item.label,
                "mean_rank": item.mean_rank,
                "count": item.count,
                "rank_counts": item.rank_counts,
            }
            for item in stats.items
        ]
        return {"n": stats.n, "ranked": items}
    return {"n": stats.n}  # text: how many answered, never what


def group_view(result, types: dict) -> dict:
    """One stakeholder group's figures; a hidden group shows neither its n
    nor its answers (the results page names it only)."""
    key = result.group.key
    return {
        "stakeholder_type": types.get(key) if key is not None else None,
        "label": result.group.label,
        "hidden": result.hidden,
        "n": None if result.hidden else result.n,
        "stats": None if result.hidden else stats_view(result.stats),
    }


def question_view(result, types: dict, headline) -> dict:
    return {
        "id": result.question.id,
        "text": result.question.text,
        "kind": result.kind,
        "n": result.n,
        "hidden": result.hidden,
        "headline": headline.text if headline is not None else None,
        "overall": stats_view(result.overall),
        "groups": [group_view(group, types) for group in result.groups],
    }


# ---- the dashboard ------------------------------------------------------


def _registrations(data) -> dict:
    balance = data.balance
    shown = balance.shown_shares()
    return {
        "total": data.registrations,
        "confirmed": balance.confirmed,
        "waitlisted": balance.waitlisted,
        "pending": balance.pending,
        "capacity": balance.capacity,
        "seats_left": balance.seats_left,
        "by_type": [
            {
                "stakeholder_type": row.stakeholder_type,
                "confirmed": row.confirmed,
                "waitlisted": row.waitlisted,
                "pending": row.pending,
                "share": shown.get(row.stakeholder_type.id),
                "target_share": row.stakeholder_type.target_share,
                "under_represented": row.under_represented,
                "small_group": 0 < row.confirmed < data.min_group,
            }
            for row in balance.types
        ],
        "by_day": [{"day": day, "count": n} for day, n in data.by_day],
        "countries": [{"code": code or "", "count": n} for code, n in data.countries],
    }


def _attendance(data) -> dict:
    by_type = []
    for row in data.balance.types:
        counts = data.attendance.get(row.stakeholder_type.id)
        confirmed = counts.confirmed if counts else 0
        attended = counts.attended if counts else 0
        by_type.append(
            {
                "stakeholder_type": row.stakeholder_type,
                "confirmed": confirmed,
                "attended": attended,
                "percent": percent(attended, confirmed),
            }
        )
    return {
        "known": data.attendance_known,
        "confirmed": sum(row["confirmed"] for row in by_type),
        "attended": data.attended,
        "percent": data.attendance_percent,
        "by_type": by_type,
    }


def _inputs(data) -> dict:
    return {
        "total": data.inputs_total,
        "by_state": data.input_states,
        "counts": [
            {
                "challenge_id": row.challenge_id,
                "kind": row.kind,
                "stakeholder_type_id": row.type_id,
                "state": row.state,
                "count": row.count,
            }
            for row in data.input_counts
        ],
        "challenges": [
            {"id": c.id, "title": c.title} for c in data.priorities.challenges
        ],
    }


def _poll(item: dict) -> dict:
    results = item["results"]
    return {
        "prompt": item["poll"].prompt,
        "kind": item["poll"].kind,
        "overall": results["overall"],
        "groups": results["groups"],
        "too_few": bool(results.get("too_few")),
    }


def live_view(live) -> dict | None:
    if live.empty:
        return None
    return {
        "questions": len(live.questions),
        "poll_count": live.poll_count,
        "top_questions": [
            {
                "text": q.text,
                "state": q.state,
                "votes": q.votes,
                "asked_by": q.asked_by,
                "by_group": [{"label": label, "votes": n} for label, n in q.by_group],
            }
            for q in live.top_questions
        ],
        "closed_polls": [_poll(item) for item in live.polls],
    }


def dashboard_view(data, live) -> dict:
    """The organiser's dashboard (``dashboard_data``) and live summary."""
    return {
        "event_timezone": data.event.timezone,
        "min_group_size": data.min_group,
        "registrations": _registrations(data),
        "attendance": _attendance(data),
        "inputs": _inputs(data),
        "priority_ballots": data.priorities.ballots,
        "surveys": [
            {
                "id": s.survey.id,
                "title": s.survey.title,
                "anonymous": s.survey.anonymous,
                "responses": s.results.responses,
                "response_rate": rate_view(s.results.overall_rate),
                "results_hidden": s.results.hidden,
            }
            for s in data.surveys
        ],
        "live": live_view(live),
    }


# ---- webhooks -----------------------------------------------------------


def webhook_view(row, event, counts: dict) -> dict:
    """A subscription, never its secret; ``counts``: its deliveries by status."""
    return {
        "id": row.id,
        "url": row.url,
        "kinds": list(row.kinds or ()),
        "status": row.status,
        "paused_reason": row.paused_reason,
        "paused_at": row.paused_at,
        "consecutive_failures": row.consecutive_failures,
        "failing_since": row.failing_since,
        "deliveries": {status: counts.get(status, 0) for status in DELIVERY_STATUSES},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "event_timezone": event.timezone,
    }


DELIVERY_FIELDS = (
    "id",
    "webhook_id",
    "kind",
    "status",
    "attempts",
    "next_attempt_at",
    "last_attempt_at",
    "last_status_code",
    "last_response",
    "last_error",
    "last_duration_ms",
    "delivered_at",
    "created_at",
)


def delivery_view(row, event) -> dict:
    return {
        **{name: getattr(row, name) for name in DELIVERY_FIELDS},
        "event_timezone": event.timezone,
    }
