"""Web entry point: `gunicorn wsgi:app`. Starts no scheduler."""

from consult import create_app

app = create_app()
