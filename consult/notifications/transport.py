"""Where built messages go: an SMTP server, or .eml files when none is configured.

Failures are sorted into kinds the dispatcher acts on:
``PermanentFailure`` (5xx: do not retry), ``Undeliverable`` (permanent, and
retrying by hand cannot help either, e.g. an internationalised address and
a server without SMTPUTF8), ``TemporaryFailure`` (4xx: retry this message
later) and ``ConnectionFailure`` (no usable server: retry the whole batch
later).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import Flask
from flask_mail import Connection

from consult.extensions import mail
from consult.notifications.mime import MessageParts, mailbox

log = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """The server refused this message for now (4xx); try again later."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


class Undeliverable(PermanentFailure):
    """This message can never go out as it is: not offered for retry."""


class ConnectionFailure(TemporaryFailure):
    """No usable connection: refused, timed out, dropped, or login failed."""


def _reply_failure(
    code: int, reply: bytes | str, what: str
) -> TemporaryFailure | PermanentFailure:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    message = f"{what}: {code} {text}".strip()
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


class _TimeoutConnection(Connection):
    """Flask-Mail's connection, opened with a socket timeout (it sets none)."""

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        # smtplib's default TLS context verifies nothing; the relay sees our
        # password and every reset link, so its certificate must be checked.
        # Built only for TLS: loading the system's CA store costs ~30 ms.
        context = (
            ssl.create_default_context() if state.use_ssl or state.use_tls else None
        )
        if state.use_ssl:
            host = smtplib.SMTP_SSL(
                state.server, state.port, timeout=self.timeout, context=context
            )
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=self.timeout)
        try:
            if state.use_tls:
                host.starttls(context=context)
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host


class SmtpTransport:
    """One SMTP session, opened on first use, reused for a batch."""

    def __init__(self, app: Flask) -> None:
        # Read the settings now rather than at init_app time, so a changed
        # config (tests, a reloaded deployment) is honoured.
        self.state = mail.init_mail(app.config, app.debug, app.testing)
        self.timeout = float(app.config["MAIL_TIMEOUT"])
        self.connection: _TimeoutConnection | None = None

    def _host(self) -> smtplib.SMTP:
        if self.connection is None:
            connection = _TimeoutConnection(self.state, self.timeout)
            try:
                connection.host = connection.configure_host()
            except smtplib.SMTPAuthenticationError as exc:
                raise ConnectionFailure(f"SMTP login refused: {exc.smtp_code}") from exc
            except (smtplib.SMTPException, OSError) as exc:
                raise ConnectionFailure(f"SMTP connection failed: {exc!r}") from exc
            self.connection = connection
        return self.connection.host

    def send(self, message: EmailMessage, parts: MessageParts, email_id: int) -> None:
        """Send to the one recipient, or raise one of this module's failures."""
        if self.state.suppress:
            log.info("mail suppressed (MAIL_SUPPRESS_SEND): %s", parts.message_id)
            return
        host = self._host()
        to = mailbox(parts.recipient)
        envelope_from = parseaddr(parts.sender)[1]
        try:
            # The extensions are known only after EHLO, which sendmail() would
            # send itself, too late to choose the options.
            host.ehlo_or_helo_if_needed()
            options = ["BODY=8BITMIME"] if host.has_extn("8bitmime") else []
            if to.smtputf8:
                options.append(self._smtputf8(host, parts.recipient))
            refused = host.sendmail(
                envelope_from, [to.envelope], message.as_bytes(), options
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = exc.recipients.get(to.envelope, (550, b"refused"))
            raise _reply_failure(code, reply, "recipient refused") from exc
        except smtplib.SMTPSenderRefused as exc:
            raise _reply_failure(
                exc.smtp_code, exc.smtp_error, "sender refused"
            ) from exc
        except smtplib.SMTPDataError as exc:
            raise _reply_failure(
                exc.smtp_code, exc.smtp_error, "message refused"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise _reply_failure(exc.smtp_code, exc.smtp_error, "SMTP error") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise ConnectionFailure(f"SMTP connection lost: {exc!r}") from exc
        # sendmail() returns normally when only some recipients were refused;
        # with one recipient that should not happen, but never assume it.
        if refused:
            code, reply = refused.get(to.envelope, (550, b"refused"))
            raise _reply_failure(code, reply, "recipient refused")

    def _smtputf8(self, host: smtplib.SMTP, recipient: str) -> str:
        if host.has_extn("smtputf8"):
            return "SMTPUTF8"
        raise Undeliverable(
            f"Cannot be delivered: the address {recipient} has non-ASCII "
            f"characters before the @, and the mail server ({self.state.server}) "
            "does not offer SMTPUTF8 (internationalised email). Trying again "
            "through this server cannot succeed: ask the person for another "
            "address, or use a mail server that supports SMTPUTF8."
        )

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (smtplib.SMTPException, OSError):
                connection.host.close()


class FileTransport:
    """Writes each message to <instance>/mail/ for development without a server."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage, parts: MessageParts, email_id: int) -> None:
        """Write the message as an .eml file and log where it is."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = message["Date"].datetime.strftime("%Y%m%dT%H%M%SZ")
        path = self.directory / f"{stamp}-{email_id}.eml"
        path.write_bytes(message.as_bytes())
        log.info("mail written to %s (no MAIL_SERVER configured)", path)

    def close(self) -> None:
        pass


@contextmanager
def open_transport(app: Flask) -> Iterator[SmtpTransport | FileTransport]:
    """The configured transport; closed (SMTP QUIT) when the batch is done."""
    if app.config.get("MAIL_SERVER"):
        transport: SmtpTransport | FileTransport = SmtpTransport(app)
    else:
        transport = FileTransport(Path(app.instance_path) / "mail")
    try:
        yield transport
    finally:
        transport.close()
