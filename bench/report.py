"""The Markdown table of a run: each figure, its ceiling, the ratio, the target."""

from __future__ import annotations


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")


def markdown(results: dict) -> str:
    env = results["environment"]
    targets = results["targets"]
    lines = [
        f"# Consult benchmark — {results['started']} ({results['mode']} mode)",
        "",
        f"Commit {env['commit']}, Python {env['python']}, {env['cores']} cores; "
        f"load average {env['load_average_start']} at the start, "
        f"{env.get('load_average_end')} at the end (1, 5, 15 min).",
        "",
    ]
    for name, figures in results["databases"].items():
        lines += [f"## {name}", ""]
        if "skipped" in figures:
            lines += [f"Skipped: {figures['skipped']}", ""]
            continue
        if "report_pdf" in figures:
            lines += _report_pdf(figures["report_pdf"], targets)
        if "http" in figures:
            lines += _http(figures["http"], targets, name)
        if "dashboard" in figures:
            lines += _dashboard(figures["dashboard"], targets, name)
        if "workbook" in figures:
            lines += _workbook(figures["workbook"], targets, name)
        if "email" in figures:
            lines += _email(figures["email"], targets)
        if "calendar" in figures:
            lines += _calendar(figures["calendar"])
        if "live" in figures:
            from live_room import markdown as live_markdown

            lines += live_markdown(figures["live"], targets.get("live_read_p99_ms"))
        if "reminders" in figures:
            lines += _reminders(
                figures["reminders"], figures.get("email"), targets, name
            )
    return "\n".join(lines) + "\n"


def _report_pdf(figures: dict, targets: dict) -> list[str]:
    from report_pdf_bench import markdown

    return markdown(figures, targets.get("report_pdf_s"))


def _workbook(figures: dict, targets: dict, database: str) -> list[str]:
    from workbook_bench import markdown

    target = targets.get("workbook_50k")
    if target and database == "postgresql" and figures["registrations"] >= 50000:
        figures = {**figures, "target_cpu_s": target["cpu_s"],
                   "before_cpu_s": target["before_cpu_s"]}  # fmt: skip
    return markdown(figures)


def registration_target(targets: dict, database: str) -> tuple[float, float]:
    """(ratio, p99 ms) the registration surge must meet on this database.

    Runs before 2026-12-03 had one target for both databases.
    """
    per_database = targets.get("registration", {}).get(database)
    if per_database is not None:
        return per_database["ratio"], per_database["p99_ms"]
    return targets["registration_ratio"], targets["registration_p99_ms"]


def _http(http: dict, targets: dict, database: str) -> list[str]:
    rows = [
        "| HTTP (32 connections) | req/s | p50 ms | p95 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("registration", "registration POST (Consult)"),
        ("bare_insert", "bare Flask + SQLAlchemy insert (ceiling)"),
        ("event_page", "event page GET (Consult, anonymous page cache)"),
        (
            "event_page_uncached",
            "event page GET (Consult, cache off: every request rendered)",
        ),
        ("hello_world", "hello-world Flask (ceiling)"),
    ):
        if key not in http:
            continue
        f = http[key]
        rows.append(
            f"| {label} | {f['throughput_rps']} | {f['p50_ms']} | {f['p95_ms']} "
            f"| {f['p99_ms']} | {f['non_2xx'] + f['socket_errors']} |"
        )
    reg_ratio, reg_p99 = registration_target(targets, database)
    reg_ok = (
        http["registration_ratio"] >= reg_ratio
        and http["registration"]["p99_ms"] < reg_p99
    )
    inv = http["invariants"]
    rows += [
        "",
        "| figure | ratio | target | met |",
        "|---|---:|---|---|",
        f"| registration / bare insert | {http['registration_ratio']:.2%} | "
        f"≥ {reg_ratio:.0%}, p99 < {reg_p99} ms | {_mark(reg_ok)} |",
        f"| event page / hello world | {http['event_page_ratio']:.1%} | "
        f"≥ {targets['event_page_ratio']:.0%} | "
        f"{_mark(http['event_page_ratio'] >= targets['event_page_ratio'])} |",
        *(
            [
                f"| event page with the cache off / hello world (context) | "
                f"{http['event_page_uncached_ratio']:.1%} | — | — |"
            ]
            if "event_page_uncached_ratio" in http
            else []
        ),
        "",
        f"Invariants after the surge: {inv['accepted']} registrations accepted, "
        f"{inv['stored']} stored, {inv['confirmed']} confirmed for "
        f"{inv['capacity']} seats, {inv['waitlisted']} waiting — "
        f"{'all hold' if inv['all_hold'] else '**VIOLATED**: ' + str(inv)}.",
        "",
    ]
    return rows


def _dashboard(dashboard: dict, targets: dict, database: str) -> list[str]:
    sizes = [k for k in dashboard if k.isdigit()]
    pages = list(dashboard[sizes[0]]["pages"])
    head = "| page | " + " | ".join(f"{int(s):,} regs" for s in sizes) + " |"
    rows = [head, "|---|" + "---:|" * len(sizes)]
    for page in pages:
        cells = []
        for size in sizes:
            f = dashboard[size]["pages"][page]
            cells.append(
                f"{f['seconds']:.2f} s ({f['app_cpu_s']:.2f} cpu), {f['queries']} q"
            )
        rows.append(f"| {page} | " + " | ".join(cells) + " |")
    last = dashboard[sizes[-1]]["pages"]["dashboard"]
    constant = dashboard["constant_queries"]["dashboard"]
    if sizes[-1] == "50000" and database == "postgresql":
        ok = last["seconds"] < targets["dashboard_50k_s"] and constant
        rows += [
            "",
            f"Dashboard at 50,000 registrations: {last['seconds']:.2f} s, "
            f"{last['queries']} queries ({'constant' if constant else 'NOT constant'}); "
            f"target < {targets['dashboard_50k_s']} s with constant queries: {_mark(ok)}.",
        ]
    rows += ["", "Rows: " + "; ".join(
        f"{int(s):,}: " + ", ".join(f"{k} {v:,}" for k, v in dashboard[s]["rows"].items())
        for s in sizes
    ), ""]  # fmt: skip
    return rows


def _email(email: dict, targets: dict) -> list[str]:
    ok = email["ratio"] >= targets["email_ratio"]
    return [
        f"| email dispatch ({email['messages']:,} messages, {email['message_bytes']:,} bytes) "
        "| seconds | messages/s |",
        "|---|---:|---:|",
        f"| Consult outbox dispatcher | {email['consult_s']} | {email['consult_per_s']} |",
        f"| plain smtplib script (ceiling) | {email['plain_smtplib_s']} "
        f"| {email['plain_smtplib_per_s']} |",
        f"| pre-built bytes over smtplib (wire only) | {email['wire_only_s']} "
        f"| {email['wire_only_per_s']} |",
        *(
            [
                f"| Consult dispatcher composing each registration email "
                f"(as queued by a registration) | {email['composed_s']} "
                f"| {email['composed_per_s']} |"
            ]
            if "composed_s" in email
            else []
        ),
        "",
        f"Dispatcher / plain smtplib: {email['ratio']:.1%} (target ≥ "
        f"{targets['email_ratio']:.0%}: {_mark(ok)}); / wire only: "
        f"{email['ratio_to_wire_only']:.1%}; every message sent: "
        f"{_mark(email['all_sent'])}.",
        *(
            [
                f"Composing in the dispatcher (the registration's own email, "
                f"from the database, at send time) / plain smtplib with ready "
                f"texts: {email['composed_ratio']:.1%} (context); every message "
                f"sent: {_mark(email['composed_all_sent'])}."
            ]
            if "composed_s" in email
            else []
        ),
        "",
    ]


def _reminders(
    round_: dict, email: dict | None, targets: dict, database: str
) -> list[str]:
    people = round_["people"]
    lines = [
        f"Reminder round: {people:,} confirmed people, one reminder each, "
        f"queued in {round_['queued_s']} s ({round_['queue_report']}), all handed "
        f"to the SMTP server {round_['total_s']} s after falling due "
        f"({round_['sent_per_s']} messages/s while sending, {round_['batches']} batches; "
        f"outcome {round_['outcome']}).",
    ]
    if email is not None:
        lines.append(
            f"The plain smtplib script of the same run: {email['plain_smtplib_per_s']} "
            "messages/s (context)."
        )
    limit = targets.get("reminder_round_10k_s")
    if limit is not None and database == "postgresql" and people >= 10000:
        ok = round_["total_s"] <= limit and round_["outcome"] == {"sent": people}
        lines.append(f"Target: 10,000 within {limit} s, all sent: {_mark(ok)}.")
    return [*lines, ""]


def _calendar(calendar: dict) -> list[str]:
    rows = [
        "| calendar file | VEVENTs | Consult s | queries | icalendar alone s | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("feed_200_events", "participant feed"),
        ("event_50_sessions", "event file with sessions"),
    ):
        f = calendar[key]
        rows.append(
            f"| {label} | {f['vevents']} | {f['seconds']:.3f} | {f['queries']} "
            f"| {f['icalendar_alone_s']:.3f} | {f['ratio']:.1%} |"
        )
    return rows + [""]
