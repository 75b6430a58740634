"""Which stakeholder groups an anonymous survey's results may show.

A group smaller than ``MIN_GROUP_SIZE`` is hidden: the organiser knows who
answered (participation records, the non-responders list) and each person's
type, so the answers of a group of one or two are theirs. Hiding only the
small groups is not enough when the totals stay visible: "all respondents"
minus the visible groups gives the hidden ones back. So while the hidden
groups together hold fewer than ``MIN_GROUP_SIZE`` responses (but more than
none), the smallest visible group is hidden as well. When the whole
question or survey has fewer than ``MIN_GROUP_SIZE`` answers, nothing is
shown. Groups with no responses reveal nothing and stay visible as zero.

The same rule, applied to the per-type response counts of the survey, decides
which type a text answer or an exported row may carry (see export.py and
texts.py): a hidden group's rows say "Other groups" instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from flask import current_app, has_app_context
from flask_babel import gettext as _

# The default of the SMALL_GROUP_MIN setting; read the setting with min_group_size().
MIN_GROUP_SIZE = 5


def min_group_size() -> int:
    """The smallest group shown on its own: the SMALL_GROUP_MIN setting (at least 2)."""
    if not has_app_context():
        return MIN_GROUP_SIZE
    return max(2, int(current_app.config.get("SMALL_GROUP_MIN", MIN_GROUP_SIZE)))


def hidden_groups(
    counts: Mapping[Hashable, int], *, also: frozenset | set = frozenset()
) -> set:
    """The keys to hide given each group's number of respondents.

    ``also`` are groups hidden for another reason (e.g. at the survey level);
    the result always contains them and never leaves a derivable remainder.
    """
    smallest = min_group_size()
    hidden = {key for key, n in counts.items() if 0 < n < smallest}
    hidden |= {key for key in also if counts.get(key, 0) > 0}
    visible = sorted(
        (n, str(key), key) for key, n in counts.items() if key not in hidden and n > 0
    )
    while visible and 0 < sum(counts[key] for key in hidden) < smallest:
        hidden.add(visible.pop(0)[2])
    return hidden


def too_few(total: int) -> bool:
    """True when an anonymous result over ``total`` respondents cannot be shown."""
    return 0 < total < min_group_size()


def group_label(label: str, n: int, *, mark_small: bool = False) -> str:
    """A group's label with its n, for a chart's series or a table's column;
    with ``mark_small`` (the organiser's own pages, which show every group) a
    group below the threshold also says it is small."""
    if mark_small and 0 < n < min_group_size():
        return _("%(label)s (n = %(n)d, small group)", label=label, n=n)
    return _("%(label)s (n = %(n)d)", label=label, n=n)
