"""Outbound messages built with the standard ``email`` package.

Flask-Mail cannot produce a calendar invite that mail clients act on: ``alts``
drops the ``method`` parameter and ``attach`` base64-encodes the part inside
multipart/mixed. So the MIME tree is built here and Flask-Mail only supplies
the SMTP settings and connection.

Structure::

    multipart/mixed                 (only when there are file attachments)
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=...   (attachments with disposition "alternative")
      application/...               (attachments with disposition "attachment")
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage, Message, MIMEPart
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, parseaddr
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import String, func, literal

DISPOSITIONS = ("attachment", "alternative")
SUBJECT_MAX = 200
NAME_MAX = 120
_WHITESPACE = re.compile(r"\s+")


def clean_header_text(value: object, limit: int) -> str:
    """One line of text for a header: CR/LF and runs of whitespace become one space."""
    text = _WHITESPACE.sub(" ", str(value or "")).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


@dataclass(frozen=True)
class EmailAttachment:
    """A file or extra body part to send with an email."""

    filename: str
    content_type: str
    content: bytes
    disposition: str = "attachment"


def sender_domain(sender: str) -> str:
    """The domain of the configured sender address, for Message-IDs."""
    address = parseaddr(sender)[1]
    domain = address.rpartition("@")[2].strip().lower()
    return domain or "localhost"


def message_id_for(dedup_key: str, sender: str) -> str:
    """A Message-ID that is the same for every attempt of one logical email.

    The left part is a hash, so it never contains ':' or other characters the
    dedup key may hold.
    """
    digest = hashlib.sha256(dedup_key.encode("utf-8")).hexdigest()
    return f"<{digest}@{sender_domain(sender)}>"


def message_id_sql(dedup_key, sender: str):
    """``message_id_for`` as a PostgreSQL expression (``sha256`` is built in
    from version 11), for a statement that makes the dedup key itself
    (registration/services/register_one.py); ``dedup_key`` is an SQL text
    expression."""
    digest = func.encode(func.sha256(func.convert_to(dedup_key, "UTF8")), "hex")
    return literal("<", String) + digest + literal(f"@{sender_domain(sender)}>", String)


def split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' -> ('text', 'calendar', {'method': 'REQUEST'})."""
    parsed = Message()
    parsed["Content-Type"] = content_type
    params = dict(parsed.get_params()[1:]) if parsed.get_params() else {}
    return parsed.get_content_maintype(), parsed.get_content_subtype(), params


@dataclass(frozen=True)
class Mailbox:
    """A recipient as it goes on the wire."""

    local_part: str
    domain: str  # ASCII (IDNA A-labels): needs no extension anywhere
    smtputf8: bool  # a non-ASCII local part: only a server offering SMTPUTF8 takes it

    @property
    def envelope(self) -> str:
        return f"{self.local_part}@{self.domain}"


@lru_cache(maxsize=4096)
def mailbox(address: str) -> Mailbox:
    """How an address is sent: ``sofía@bücher.de`` -> sofía, xn--bcher-kva.de, True.

    A non-ASCII domain has an ASCII form every server accepts; a non-ASCII
    local part has none, so such a message needs SMTPUTF8 (RFC 6531).
    """
    local, _at, domain = address.rpartition("@")
    if address.isascii():
        return Mailbox(local, domain, False)
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a deliverable address: {exc}") from exc
    return Mailbox(valid.local_part, valid.ascii_domain, not valid.local_part.isascii())


@dataclass(frozen=True)
class MessageParts:
    """Everything needed to build one message, detached from the database."""

    sender: str
    recipient: str
    recipient_name: str
    subject: str
    message_id: str
    body_text: str
    body_html: str
    attachments: tuple[EmailAttachment, ...] = ()
    # An https URL that unsubscribes with one POST (RFC 8058); '' for none.
    list_unsubscribe: str = ""
    # The locale the text is written in (Content-Language); '' for none.
    language: str = ""
    # The event's display name for the site's From address ('' keeps the
    # name in ``sender``) and its Reply-To address ('' for none).
    sender_name: str = ""
    reply_to: str = ""


def build_message(parts: MessageParts, *, date: datetime) -> EmailMessage:
    """The complete MIME message for one recipient.

    A recipient with a non-ASCII local part gets a message with UTF-8 headers
    (``msg.policy.utf8``), which may only travel with SMTPUTF8: the transport
    checks the server offers it. ``Address(addr_spec=...)`` refuses such a
    local part under every policy, so the address is given in its parts.
    """
    to = mailbox(parts.recipient)
    msg = EmailMessage(policy=SMTPUTF8 if to.smtputf8 else SMTP)
    sender_name, sender_address = parseaddr(parts.sender)
    set_address(
        msg,
        "From",
        parts.sender_name or sender_name,
        Address(addr_spec=sender_address),
    )
    if parts.reply_to:
        reply = mailbox(parts.reply_to)
        set_address(
            msg, "Reply-To", "", Address(username=reply.local_part, domain=reply.domain)
        )
    set_address(
        msg,
        "To",
        parts.recipient_name,
        Address(username=to.local_part, domain=to.domain),
    )
    msg["Subject"] = parts.subject
    msg["Date"] = format_datetime(date)
    # Set explicitly: a generated one would change on every retry.
    msg["Message-ID"] = parts.message_id
    msg["Auto-Submitted"] = "auto-generated"
    if parts.list_unsubscribe:
        # RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST
        # "List-Unsubscribe=One-Click" to the URL, without opening it.
        msg["List-Unsubscribe"] = f"<{_header_url(parts.list_unsubscribe)}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(parts.body_text, cte=_text_cte(parts.body_text))
    if parts.body_html:
        msg.add_alternative(
            parts.body_html, subtype="html", cte=_text_cte(parts.body_html)
        )
    alternatives = [a for a in parts.attachments if a.disposition == "alternative"]
    for attachment in alternatives:
        if not msg.is_multipart():
            msg.make_alternative()
        msg.attach(_alternative_part(attachment))
    for attachment in parts.attachments:
        if attachment.disposition == "attachment":
            maintype, subtype, _params = split_content_type(attachment.content_type)
            msg.add_attachment(
                attachment.content,
                maintype=maintype,
                subtype=subtype,
                filename=attachment.filename or None,
            )
    if parts.language:
        # Last: setting or wrapping the body moves every Content-* header of
        # the top part into the body part.
        msg["Content-Language"] = content_language(parts.language)
    _set_boundaries(msg, parts.message_id)
    return msg


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def content_language(locale: str) -> str:
    """The Content-Language value (RFC 3282) of a locale: ``zh_Hant`` -> ``zh-Hant``."""
    tag = locale.replace("_", "-")
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise ValueError(f"not a language tag: {locale!r}")
    return tag


def _header_url(url: str) -> str:
    """A URL safe inside <...> of a header: one line, no angle brackets."""
    if any(ch in url for ch in "<>\r\n \t") or not url.isascii():
        raise ValueError("an unsubscribe URL must be plain ASCII on one line")
    return url


def _set_boundaries(msg: EmailMessage, message_id: str) -> None:
    """Boundaries derived from the Message-ID instead of random ones.

    With the stored text and Date, every attempt of a message is then the
    same bytes: a resend after a crash is byte-identical.
    """
    digest = hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:32]
    for index, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"===============consult{digest}{index}==")


# A display name of these characters needs no quotes and no encoding, so the
# email package folds it safely. "=" and "?" are left out: "=?...?=" would be
# read back as an encoded word.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+\-/^_`{|}~ ]*")
# Bytes of UTF-8 per encoded word: "=?utf-8?b?" + 60 base64 characters + "?="
# is 72 characters, a line of its own after the header name or a fold.
_EW_BYTES = 45


def display_name(name: str) -> str:
    """The name on one line: control characters dropped, whitespace collapsed."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in name or ""
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    return " ".join(kept.split())


def encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 base64 encoded words, each short enough for a line.

    Encoded words are atoms: commas, quotes or an "@" inside one stay part of
    the name for every parser, however the header is folded. Readers join
    adjacent encoded words without the whitespace between them (RFC 2047
    6.2), so a word ends after a space of the name where one fits.
    """
    chunks: list[bytes] = []
    chunk = b""
    for piece in re.findall(r"\S+\s*|\s+", text):
        data = piece.encode("utf-8")
        if chunk and len(chunk) + len(data) > _EW_BYTES:
            chunks.append(chunk)
            chunk = b""
        for ch in piece if len(data) > _EW_BYTES else [piece]:
            part = ch.encode("utf-8")
            if chunk and len(chunk) + len(part) > _EW_BYTES:
                chunks.append(chunk)
                chunk = b""
            chunk += part
    if chunk:
        chunks.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(c).decode('ascii')}?=" for c in chunks]


def set_address(msg: EmailMessage, header: str, name: str, address: Address) -> None:
    """Set an address header that parses back to exactly ``address``.

    Python's email package drops the quotes of a quoted display name when it
    folds a long header, so ``Rep, spoofed@evil.example,`` would come out as
    three addresses. A name that would need quotes (or is not ASCII) is written
    as encoded words, pre-folded one per line, so the package never refolds it.
    """
    name = display_name(name)
    # Plain words the folder can put on lines of their own stay readable.
    if _PLAIN_NAME.fullmatch(name) and all(len(w) <= 70 for w in name.split()):
        msg[header] = Address(
            display_name=name, username=address.username, domain=address.domain
        )
        return
    angle = f"<{address.addr_spec}>"
    if len(angle) + 1 > msg.policy.max_line_length:
        # Too long to keep on a line of its own: the name goes.
        msg[header] = Address(username=address.username, domain=address.domain)
        return
    # set_raw: the value is used as given (every line fits, so it is not refolded).
    msg.set_raw(header, "\n ".join([*encoded_words(name), angle]))


def _text_cte(text: str) -> str:
    # Quoted-printable keeps non-ASCII bodies safe through relays without 8BITMIME.
    return "7bit" if text.isascii() and _short_lines(text) else "quoted-printable"


def _short_lines(text: str) -> bool:
    return all(len(line) <= 900 for line in text.splitlines())


def _alternative_part(attachment: EmailAttachment) -> MIMEPart:
    """A text body part (a calendar invite) placed unencoded in the alternative."""
    _maintype, subtype, params = split_content_type(attachment.content_type)
    charset = params.get("charset", "utf-8")
    text = attachment.content.decode(charset)
    part = MIMEPart(policy=SMTP)
    part.set_content(
        text, subtype=subtype, charset=charset, cte="7bit" if text.isascii() else "8bit"
    )
    # Keep the stored Content-Type verbatim (e.g. ``method=REQUEST`` unquoted):
    # calendar clients match it against the calendar's METHOD.
    del part["Content-Type"]
    part.set_raw("Content-Type", attachment.content_type)
    return part
