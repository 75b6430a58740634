"""Survey results: aggregates in SQL, small groups hidden, charts and text lists.

- aggregate.py: ``survey_results(survey)`` in a fixed number of GROUP BY queries;
- stats.py: counts, shares, mean, median, distribution, NPS, mean rank;
- privacy.py: which stakeholder groups an anonymous survey may show;
- texts.py: the searchable, paginated list of text answers;
- figures.py: the SVG charts of each question.
"""

from consult.surveys.results.aggregate import (
    Group,
    GroupResult,
    QuestionResult,
    Rate,
    SurveyResults,
    load_survey,
    survey_results,
)
from consult.surveys.results.figures import question_charts
from consult.surveys.results.privacy import (
    MIN_GROUP_SIZE,
    hidden_groups,
    min_group_size,
)
from consult.surveys.results.texts import TEXT_KINDS, TextPage, text_answers

__all__ = [
    "MIN_GROUP_SIZE",
    "min_group_size",
    "TEXT_KINDS",
    "Group",
    "GroupResult",
    "QuestionResult",
    "Rate",
    "SurveyResults",
    "TextPage",
    "hidden_groups",
    "load_survey",
    "question_charts",
    "survey_results",
    "text_answers",
]
