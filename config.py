"""Settings classes. Every deploy setting comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# The constant development key of earlier versions: never accepted in
# production (anyone could forge sessions and links with it).
DEFAULT_SECRET_KEY = "dev-insecure-change-me"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value or not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL") or default
    # Hosting providers still hand out postgres:// URLs; psycopg 3 is our driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    # Signs sessions, CSRF tokens and emailed links. Production requires one of
    # at least 43 characters (32 random bytes); development without one makes
    # its own, kept in <instance>/secret_key (consult/secret_key.py).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    INSTANCE_DIR = os.environ.get("CONSULT_INSTANCE_DIR") or str(BASE_DIR / "instance")
    SQLALCHEMY_DATABASE_URI = _database_url(
        "sqlite:///" + str(Path(INSTANCE_DIR) / "consult.db")
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # PostgreSQL connections are tested before they are lent only when they
    # may have gone (consult/database.py), not with a round trip every time.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 15000)

    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (client address for rate limits, https scheme for links). 0: none.
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
    # Largest request body; above CONTRIBUTION_MAX_FILE_MB so that an oversize
    # slides file gets its own message next to the field.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024)
    # Seconds a worker serves an event's public page to anonymous visitors
    # from memory instead of rendering it again (consult/page_cache.py). 0: off.
    PAGE_CACHE_SECONDS = _int("PAGE_CACHE_SECONDS", 5)
    # Smallest stakeholder group whose figures the report, the public page and
    # anonymous survey results show on their own (consult/surveys/results/privacy.py).
    SMALL_GROUP_MIN = _int("SMALL_GROUP_MIN", 5)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME") or "http"

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = (
        os.environ.get("MAIL_DEFAULT_SENDER") or "Consult <no-reply@localhost>"
    )
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_SUPPRESS_SEND = False
    OUTBOX_BATCH_SIZE = _int("OUTBOX_BATCH_SIZE", 100)
    # With the backoff (1, 2, 4 ... minutes, capped at 4 h) 15 attempts span
    # about 32 hours: a relay outage of a day loses nothing.
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 15)
    OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 300)
    # How long an organiser may undo a cancellation; its emails wait as long.
    CANCEL_UNDO_SECONDS = _int("CANCEL_UNDO_SECONDS", 300)

    # Text messages (consult/notifications/sms). Without SMS_ACCOUNT_SID each
    # SMS is written to instance/sms/ instead of sent. The gateway speaks
    # Twilio's Programmable Messaging API (or any gateway with its shape).
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL") or "https://api.twilio.com"
    SMS_ACCOUNT_SID = os.environ.get("SMS_ACCOUNT_SID") or None
    SMS_AUTH_TOKEN = os.environ.get("SMS_AUTH_TOKEN") or None
    # The From of every SMS: a number in E.164 form or an alphanumeric sender
    # id; or SMS_MESSAGING_SERVICE_SID, which the gateway picks a sender from.
    SMS_SENDER = os.environ.get("SMS_SENDER") or ""
    SMS_MESSAGING_SERVICE_SID = os.environ.get("SMS_MESSAGING_SERVICE_SID") or ""
    SMS_TIMEOUT = _int("SMS_TIMEOUT", 15)

    # Webhooks (consult/webhooks): one POST waits at most this long; a row is
    # tried WEBHOOK_MAX_ATTEMPTS times (backoff 1 min ... 6 h, about 4 hours in
    # all), and a subscription failing WEBHOOK_PAUSE_AFTER_FAILURES times in a
    # row (or for 24 hours) is paused and its owner emailed.
    WEBHOOK_TIMEOUT_SECONDS = _int("WEBHOOK_TIMEOUT_SECONDS", 5)
    WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", 8)
    WEBHOOK_PAUSE_AFTER_FAILURES = _int("WEBHOOK_PAUSE_AFTER_FAILURES", 10)
    # Rows one run claims; with the timeout it bounds a run (20 x 5 s).
    WEBHOOK_BATCH_SIZE = _int("WEBHOOK_BATCH_SIZE", 20)
    WEBHOOK_LEASE_SECONDS = _int("WEBHOOK_LEASE_SECONDS", 300)
    # Development and tests only: http:// and loopback addresses for localhost.
    WEBHOOK_ALLOW_HTTP_LOCALHOST = _bool("WEBHOOK_ALLOW_HTTP_LOCALHOST")
    SCHEDULER_WEBHOOK_INTERVAL = _int("SCHEDULER_WEBHOOK_INTERVAL", 10)
    # How long browsers and proxies may keep the open-data files.
    OPENDATA_CACHE_SECONDS = _int("OPENDATA_CACHE_SECONDS", 300)
    # Webinar platforms (consult/platforms). Jitsi Meet: the server, and for
    # personal links (JWT) the token authentication's app id, secret and key id.
    JITSI_SERVER_URL = os.environ.get("JITSI_SERVER_URL") or "https://meet.jit.si"
    JITSI_APP_ID = os.environ.get("JITSI_APP_ID") or ""
    JITSI_APP_SECRET = os.environ.get("JITSI_APP_SECRET") or ""
    JITSI_KEY_ID = os.environ.get("JITSI_KEY_ID") or ""
    # A personal Jitsi link works until the event's end plus this margin.
    JITSI_TOKEN_MARGIN_MINUTES = _int("JITSI_TOKEN_MARGIN_MINUTES", 120)
    # Zoom: a Server-to-Server OAuth app's credentials.
    ZOOM_ACCOUNT_ID = os.environ.get("ZOOM_ACCOUNT_ID") or ""
    ZOOM_CLIENT_ID = os.environ.get("ZOOM_CLIENT_ID") or ""
    ZOOM_CLIENT_SECRET = os.environ.get("ZOOM_CLIENT_SECRET") or ""
    ZOOM_API_BASE = os.environ.get("ZOOM_API_BASE") or "https://api.zoom.us/v2"
    ZOOM_OAUTH_URL = os.environ.get("ZOOM_OAUTH_URL") or "https://zoom.us/oauth/token"
    PLATFORM_HTTP_TIMEOUT = _int("PLATFORM_HTTP_TIMEOUT", 15)
    # Temporary failures are tried again after 1, 2, 4 ... minutes (at most
    # 6 hours); a row fails after this many (a 429 does not count).
    PLATFORM_MAX_ATTEMPTS = _int("PLATFORM_MAX_ATTEMPTS", 10)
    PLATFORM_SYNC_BATCH = _int("PLATFORM_SYNC_BATCH", 50)
    # A claimed row not recorded within this (a crash) is worked again.
    PLATFORM_LEASE_SECONDS = _int("PLATFORM_LEASE_SECONDS", 300)
    SCHEDULER_PLATFORM_INTERVAL = _int("SCHEDULER_PLATFORM_INTERVAL", 30)

    # The live room's state document lags the room by at most this many
    # seconds: a web worker builds it at most once per period (docs/live.md).
    LIVE_STATE_SETTLE_SECONDS = _float("LIVE_STATE_SETTLE_SECONDS", 1.0)

    SCHEDULER_OUTBOX_INTERVAL = _int("SCHEDULER_OUTBOX_INTERVAL", 10)
    SCHEDULER_HEARTBEAT_INTERVAL = _int("SCHEDULER_HEARTBEAT_INTERVAL", 30)
    SCHEDULER_REMINDER_INTERVAL = _int("SCHEDULER_REMINDER_INTERVAL", 60)
    SCHEDULER_STANDBY_POLL = _int("SCHEDULER_STANDBY_POLL", 5)
    # Prepared files (the report's PDF, large workbooks), made by the scheduler.
    SCHEDULER_EXPORT_INTERVAL = _int("SCHEDULER_EXPORT_INTERVAL", 5)
    # A workbook of an event with fewer registrations is made in the request.
    EXPORT_JOB_MIN_REGISTRATIONS = _int("EXPORT_JOB_MIN_REGISTRATIONS", 2000)
    # A file not finished (nor its progress reported) within this is started again.
    EXPORT_JOB_LEASE_SECONDS = _int("EXPORT_JOB_LEASE_SECONDS", 300)
    # One run of the job starts no new file after this many seconds.
    EXPORT_JOB_RUN_SECONDS = _int("EXPORT_JOB_RUN_SECONDS", 60)
    EXPORT_JOB_MAX_ATTEMPTS = _int("EXPORT_JOB_MAX_ATTEMPTS", 3)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    # Web worker processes, as gunicorn reads it for its default `--workers`.
    # memory:// counts in each process alone, so production refuses to start
    # with it unless this says exactly one worker runs. 0: not stated.
    WEB_CONCURRENCY = _int("WEB_CONCURRENCY", 0)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Keys in shared storage start with this, so several sites can share a Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX") or "consult"
    # Failed logins per client address; also the limit for password-reset and
    # change requests.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT") or "10 per 15 minutes"
    # Requests per API token (per client address for requests without one).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT") or "600 per minute"
    # Failed logins per account, from any address (a distributed guess). Past
    # it, only addresses that failed on the account are refused; the owner
    # gets one email per window (consult/auth/throttle.py).
    LOGIN_EMAIL_RATE_LIMIT = os.environ.get("LOGIN_EMAIL_RATE_LIMIT") or None

    # Registration form submissions per client address.
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT") or "20 per hour"
    # "Didn't arrive? Send it again" on the thank-you page, per client address
    # (each registration also gets at most three resends, two minutes apart).
    RESEND_RATE_LIMIT = os.environ.get("RESEND_RATE_LIMIT") or "10 per hour"
    # An action owner's page (their personal link): views and posts per
    # client address.
    ACTION_OWNER_RATE_LIMIT = os.environ.get("ACTION_OWNER_RATE_LIMIT") or "60 per hour"
    # Meeting requests a participant may send in the directory per 24 hours
    # (counted in the database, so the limit holds across workers).
    MEETING_REQUEST_DAILY_LIMIT = _int("MEETING_REQUEST_DAILY_LIMIT", 10)
    # Inputs (participants' and experts' submissions) per client address.
    INPUT_RATE_LIMIT = os.environ.get("INPUT_RATE_LIMIT") or "20 per hour"
    # Questions, votes and poll answers in a live room, per participant (their
    # pass), not per address: a room's audience may share one office's.
    LIVE_POST_RATE_LIMIT = os.environ.get("LIVE_POST_RATE_LIMIT") or "60 per minute"
    # Contribution proposals (and their edits) per client address.
    CONTRIBUTION_RATE_LIMIT = os.environ.get("CONTRIBUTION_RATE_LIMIT") or "20 per hour"
    # Largest slides file a proposer may upload, in megabytes.
    CONTRIBUTION_MAX_FILE_MB = _int("CONTRIBUTION_MAX_FILE_MB", 20)
    # Public-link survey submissions per client address, and the fewest seconds
    # a person takes to fill one in (faster is treated as a bot).
    SURVEY_PUBLIC_RATE_LIMIT = (
        os.environ.get("SURVEY_PUBLIC_RATE_LIMIT") or "10 per hour"
    )
    SURVEY_MIN_FILL_SECONDS = _int("SURVEY_MIN_FILL_SECONDS", 5)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    # The set-a-password link in an invitation (a facilitator's) lasts longer:
    # the invited person may read it days later.
    ACCOUNT_INVITATION_MAX_AGE = _int("ACCOUNT_INVITATION_MAX_AGE", 7 * 24 * 3600)

    # The interface languages (consult/i18n.py): English, Malay, Simplified
    # and Traditional Chinese, Indonesian, Vietnamese, Korean. Their catalogues
    # are translations/<locale>/LC_MESSAGES/messages.po, compiled by the set-up.
    LANGUAGES = _list("LANGUAGES", ["en", "ms", "zh_Hans", "zh_Hant", "id", "vi", "ko"])
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE") or "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Flask-Babel looks beside the package by default; the catalogues are at
    # the repository's top.
    BABEL_TRANSLATION_DIRECTORIES = os.environ.get(
        "BABEL_TRANSLATION_DIRECTORIES"
    ) or str(BASE_DIR / "translations")


class DevelopmentConfig(Config):
    DEBUG = False
    # `make run` serves here; links in emails sent by the scheduler need a host.
    SERVER_NAME = os.environ.get("SERVER_NAME") or "127.0.0.1:5000"


class TestingConfig(Config):
    TESTING = True
    # Jobs and seeds build links in emails outside any request.
    SERVER_NAME = "localhost"
    SECRET_KEY = "testing-secret-key"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    SMS_ACCOUNT_SID = None
    SQLITE_BUSY_TIMEOUT_MS = 30000
    # Tests read pages right after changing the data.
    PAGE_CACHE_SECONDS = 0
    LIVE_STATE_SETTLE_SECONDS = 0
    # Receivers in the tests listen on 127.0.0.1 over plain HTTP.
    WEBHOOK_ALLOW_HTTP_LOCALHOST = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME") or "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
