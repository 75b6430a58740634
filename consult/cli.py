"""`flask --app wsgi consult ...` commands. Each command commits once at its edge."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from consult.auth.services import create_user
from consult.errors import DomainError
from consult.events.models import Event
from consult.extensions import db
from consult.timeutil import now_utc

consult_cli = AppGroup("consult", help="Consult administration commands.")


@consult_cli.command("seed-demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Only seed when the database has no events at all (used by `make run`).",
)
def seed_demo_command(if_empty: bool) -> None:
    """Create the demo organiser and the Petaling Jaya consultation (idempotent)."""
    # Imported when the command runs: the demo's content is for this command
    # only, not for every app start (which imports this module).
    from consult.demo import (
        DEMO_FACILITATOR_EMAIL,
        DEMO_FACILITATOR_PASSWORD,
        DEMO_ORGANISER_EMAIL,
        DEMO_ORGANISER_PASSWORD,
        seed_demo,
    )

    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("Events exist already; demo not seeded.")
        return
    result = seed_demo(now=now_utc())
    db.session.commit()
    click.echo(
        ("Created" if result.created else "Already present")
        + f": {result.event.title} (/events/{result.event.slug})"
    )
    click.echo(
        f"Demo organiser (demo only, never use in production): "
        f"{DEMO_ORGANISER_EMAIL} / {DEMO_ORGANISER_PASSWORD}"
    )
    click.echo(
        f"Demo facilitator (demo only): "
        f"{DEMO_FACILITATOR_EMAIL} / {DEMO_FACILITATOR_PASSWORD}"
    )


@consult_cli.command("create-organiser")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="Create an administrator instead.")
@click.option(
    "--generate-password",
    is_flag=True,
    help="Generate a random password and print it instead of asking for one.",
)
def create_organiser_command(
    email: str, name: str, admin: bool, generate_password: bool
):
    """Create an organiser account (asks for or generates a password)."""
    if generate_password:
        password = secrets.token_urlsafe(15)
    else:
        password = click.prompt(
            "Password (at least 10 characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    try:
        user = create_user(
            email,
            password,
            role="admin" if admin else "organiser",
            name=name,
            now=now_utc(),
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")
    if generate_password:
        click.echo(f"Password: {password}")


@consult_cli.command("scheduler")
def scheduler_command() -> None:
    """Run the job scheduler in this process (one active per deployment)."""
    # Imported when the command runs: every app start imports this module, and
    # the scheduler (APScheduler, every area's jobs) is only for this command.
    from consult.scheduler.runner import run_scheduler

    run_scheduler(current_app._get_current_object())


@consult_cli.command("run-jobs")
@click.option(
    "--once", is_flag=True, required=True, help="Run every job once and exit."
)
def run_jobs_command(once: bool) -> None:
    """Run each scheduler job once (for cron and tests)."""
    # Imported when the command runs (see scheduler_command).
    from consult.scheduler.runner import run_jobs_once

    for name, outcome in run_jobs_once(
        current_app._get_current_object(), now=now_utc()
    ):
        click.echo(f"{name}: {outcome}")


def register(app: Flask) -> None:
    app.cli.add_command(consult_cli)
