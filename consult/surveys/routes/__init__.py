"""Survey pages: the builder and answering (builder.py, answer.py) and results (results.py)."""

from consult.surveys.routes import answer, builder, deleting, results  # noqa: F401
