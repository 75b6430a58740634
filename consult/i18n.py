"""The visitor's language: which one a request is served in, and the switcher.

The interface speaks the languages in ``LANGUAGES`` (config.py), each with a
catalogue in ``translations/<locale>/LC_MESSAGES/messages.po``. A request is
served in, first to last:

1. the language the visitor chose with the switcher on every page (a cookie,
   ``LANGUAGE_COOKIE``, kept for a year);
2. the best of their browser's ``Accept-Language`` that Consult speaks, with
   Chinese read by script: ``zh-CN``, ``zh-SG`` and ``zh-Hans`` are Simplified
   (``zh_Hans``); ``zh-TW``, ``zh-HK``, ``zh-MO`` and ``zh-Hant`` Traditional
   (``zh_Hant``);
3. on an event's pages, the language its texts are written in (its
   ``default_language``);
4. ``BABEL_DEFAULT_LOCALE``.

Without a request (the scheduler composing an email) it is the default.
Messages are not written in the request's language but in their recipient's
(consult.languages.composing_for).

Every page varies by language, so the anonymous page cache keys each page by
its locale (consult.page_cache) and responses say ``Vary: Accept-Language,
Cookie`` to caches along the way. The switcher is a plain link (GET) so that
a page carrying it holds no CSRF token and stays cacheable; following it only
sets this visitor's language cookie.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    redirect,
    request,
    url_for,
)
from jinja2.ext import (  # the wrappers Jinja itself puts around gettext
    _make_new_gettext,
    _make_new_ngettext,
    _make_new_npgettext,
    _make_new_pgettext,
)

from consult.languages import LANGUAGE_NAMES, language_tag
from consult.links import safe_next

LANGUAGE_COOKIE = "consult_language"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600

# Chinese is chosen by script; browsers mostly send a region instead.
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})
_SIMPLIFIED_REGIONS = frozenset({"cn", "sg", "my"})
# Old or alternative codes for the same languages.
_ALIASES = {"in": "id", "zsm": "ms", "cmn": "zh", "yue": "zh-hant"}

bp = Blueprint("i18n", __name__)


def canonical(tag: str | None, available: Iterable[str]) -> str | None:
    """The locale of ``available`` that one language tag (``zh-TW``, ``ms_MY``,
    ``ko``) asks for, or None when Consult does not speak it."""
    if not tag:
        return None
    offered = {code.lower().replace("-", "_"): code for code in available}
    parts = tag.strip().lower().replace("_", "-").split("-")
    if not parts or not parts[0] or parts[0] == "*":
        return None
    primary = _ALIASES.get(parts[0], parts[0])
    if "-" in primary:  # an alias naming a script too (yue -> zh-hant)
        primary, script = primary.split("-", 1)
        parts = [primary, script, *parts[1:]]
    else:
        parts = [primary, *parts[1:]]
    if primary == "zh":
        subtags = set(parts[1:])
        if "hant" in subtags or subtags & _TRADITIONAL_REGIONS:
            return offered.get("zh_hant")
        return offered.get("zh_hans")
    exact = "_".join(parts)
    return offered.get(exact) or offered.get(primary)


def best_accepted(accept_languages, available: Iterable[str]) -> str | None:
    """The first language of an ``Accept-Language`` (best quality first) that
    Consult speaks."""
    available = list(available)
    for tag, quality in accept_languages:
        if quality <= 0:
            continue
        code = canonical(tag, available)
        if code is not None:
            return code
    return None


def select_locale() -> str:
    """The locale of this request (Flask-Babel's locale selector)."""
    config = current_app.config
    if not has_request_context():
        return config["BABEL_DEFAULT_LOCALE"]
    languages = config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return (
        best_accepted(request.accept_languages, languages)
        or _page_language(languages)
        or config["BABEL_DEFAULT_LOCALE"]
    )


# The language a page's own content is written in (an event's default
# language, on that event's pages): registered by the area that knows it, and
# asked only when neither the visitor's choice nor their browser decides.
_PAGE_LANGUAGE: list = []


_PAGE_LANGUAGE_KNOWN = "consult.page_language"
_SWITCHER = "consult.i18n.switcher"


def page_language_from(finder) -> None:
    """Register `finder()` -> the current page's content language, or None."""
    _PAGE_LANGUAGE[:] = [finder]


def page_language_is(code: str | None) -> None:
    """Tell this request its page's content language, which a view already has.

    Saves the finder's query: the public registration form reads its event
    from a per-process copy, and a query here would also open SQLite's write
    transaction before the form is checked.
    """
    request.environ[_PAGE_LANGUAGE_KNOWN] = code


def _page_language(languages) -> str | None:
    if _PAGE_LANGUAGE_KNOWN in request.environ:
        code = request.environ[_PAGE_LANGUAGE_KNOWN]
        return code if code in languages else None
    for finder in _PAGE_LANGUAGE:
        code = finder()
        if code in languages:
            return code
    return None


@bp.get("/language/<code>")
def choose(code: str):
    """Remember the visitor's language and go back to the page they were on."""
    back = safe_next(request.args.get("next")) or url_for("events.index")
    response = redirect(back, code=303)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    return response


def switcher_links() -> list[dict[str, str]]:
    """The switcher's entries for the current page: code, name, tag, href."""
    here = request.full_path if request.query_string else request.path
    # What url_for(..., next=here) gives, without building seven URLs on
    # every page: the same query encoding as werkzeug's.
    query = "?" + urlencode({"next": here}, safe="!$'()*,/:;?@")
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "tag": language_tag(code),
            "href": path + query,
        }
        for code, path in _choose_paths()
    ]


def _choose_paths() -> tuple[tuple[str, str], ...]:
    """(code, the path that chooses it) per language, kept per app and script root."""
    languages = tuple(current_app.config["LANGUAGES"])
    key = (_SWITCHER, request.script_root, languages)
    paths = current_app.extensions.get(key)
    if paths is None:
        paths = tuple((code, url_for("i18n.choose", code=code)) for code in languages)
        current_app.extensions[key] = paths
    return paths


def _template_gettext() -> dict:
    """The template's gettext functions, bound to this render's translations.

    Flask-Babel's own (the environment's globals) look the translations up
    again for every string: about 70 times a dictionary look-up, through
    several context-local proxies, and a page has dozens of strings. A
    context processor runs once per render, in the locale of that moment
    (``force_locale`` included), and the template's own variables come before
    the environment's globals, so every string of this render uses these.
    Macros imported without context keep the globals: slower, same text.
    """
    from flask_babel import get_translations

    translations = get_translations()
    return {
        "gettext": _make_new_gettext(translations.ugettext),
        "ngettext": _make_new_ngettext(translations.ungettext),
        "pgettext": _make_new_pgettext(translations.upgettext),
        "npgettext": _make_new_npgettext(translations.unpgettext),
    }


def init_app(app: Flask) -> None:
    unknown = [c for c in app.config["LANGUAGES"] if c not in LANGUAGE_NAMES]
    if unknown:
        raise RuntimeError(f"LANGUAGES names languages without a name: {unknown}")
    if app.config["BABEL_DEFAULT_LOCALE"] not in app.config["LANGUAGES"]:
        raise RuntimeError("BABEL_DEFAULT_LOCALE must be one of LANGUAGES")
    app.register_blueprint(bp)

    @app.context_processor
    def _language_globals():
        from flask_babel import get_locale

        current = get_locale()
        return {
            "html_lang": language_tag(current),
            "current_language": str(current or ""),
            "language_links": switcher_links if has_request_context() else list,
            **_template_gettext(),
        }

    @app.after_request
    def _vary_by_language(response: Response):
        if request.endpoint != "static":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
