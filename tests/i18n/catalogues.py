"""The interface catalogues as the tests see them: reading, compiling, checking
each translation against its message, and the pseudo-locale.

`python -m tests.i18n.catalogues pseudo DIR` writes the pseudo-locale's
catalogue (``DIR/en/LC_MESSAGES/messages.po`` and ``.mo``) generated from
``translations/messages.pot``; run the app with
``BABEL_TRANSLATION_DIRECTORIES=DIR`` and ``LANGUAGES=en`` to read every page
in it. Like the compiled catalogues it is built, never committed.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def catalogue_paths() -> dict[str, Path]:
    """locale -> its messages.po, for every catalogue in translations/."""
    return {
        path.parent.parent.name: path
        for path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    }


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write_atomically(target: Path, write) -> None:
    # Two test workers may compile at once: each writes its own file and the
    # rename is atomic, so nobody reads half a catalogue.
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compile_stale() -> list[str]:
    """Compile every catalogue whose .mo is missing or older than its .po
    (what the Makefile's rule does); the locales compiled."""
    compiled = []
    for locale, po in catalogue_paths().items():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = read_catalogue(po, locale)
        _write_atomically(mo, lambda handle, c=catalog: write_mo(handle, c))
        compiled.append(locale)
    return compiled


# -- what a translation must keep --------------------------------------------

# %(name)s, %(n)d, %s, %% ; {name}, {0}, {name!r:>10}
_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACES = re.compile(r"(?<!\{)\{[A-Za-z_0-9][^{}]*\}(?!\})")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted (their order may change)."""
    return sorted(_PERCENT.findall(text) + _BRACES.findall(text))


def tags(text: str) -> list[str]:
    """The HTML tags of a message, as written, sorted."""
    return sorted(match.group(0) for match in _TAG.finditer(text))


def translations_of(message) -> list[tuple[str, str]]:
    """(source, translation) pairs of one catalogue entry: a plural entry pairs
    each form with the plural source (a singular with its one)."""
    if isinstance(message.id, (list, tuple)):
        singular, plural = message.id[0], message.id[1]
        strings = list(message.string or ())
        pairs = []
        for index, string in enumerate(strings):
            # A language with one form uses it for every count: it must keep
            # the plural's placeholders (the count among them).
            source = singular if index == 0 and len(strings) > 1 else plural
            pairs.append((source, string))
        return pairs
    return [(message.id, message.string or "")]


def is_translated(message) -> bool:
    if isinstance(message.id, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def problems(locale: str, catalog: Catalog) -> list[str]:
    """Everything wrong with the translated entries of a catalogue: a fuzzy
    entry, a placeholder or an HTML tag lost or added."""
    found = []
    if catalog.fuzzy:
        found.append(f"{locale}: the catalogue's header is marked fuzzy")
    for message in catalog:
        if not message.id:
            continue
        label = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        if message.fuzzy:
            found.append(f"{locale}: fuzzy entry {label!r}")
            continue
        for source, string in translations_of(message):
            if not string:
                continue
            if placeholders(source) != placeholders(string):
                found.append(
                    f"{locale}: {label!r} has placeholders {placeholders(string)}, "
                    f"the message {placeholders(source)}"
                )
            if tags(source) != tags(string):
                found.append(
                    f"{locale}: {label!r} has tags {tags(string)}, "
                    f"the message {tags(source)}"
                )
    return found


# -- the pseudo-locale ----------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
# What is kept as written: placeholders, HTML tags and entities.
_KEEP = re.compile(
    "|".join(
        [
            _PERCENT.pattern,
            _BRACES.pattern,
            _TAG.pattern.replace("([A-Za-z][A-Za-z0-9]*)", "[A-Za-z][A-Za-z0-9]*"),
            r"&[A-Za-z]+;|&#\d+;",
        ]
    )
)
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
LC_MESSAGES = "LC_MESSAGES"


def pseudo(text: str) -> str:
    """Accented, about a third longer, bracketed: ``Log in`` -> ``⟦Ĺóĝ íñ ~~⟧``.

    Every ASCII letter becomes an accented one, so plain ASCII words left on a
    page were not translated; placeholders, tags and entities are kept. The
    padding shows where a longer translation would not fit.
    """
    if not text:
        return text
    out, position = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[position : match.start()].translate(_ACCENTED))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].translate(_ACCENTED))
    body = "".join(out)
    padding = "~" * max(1, len(text) // 3)
    return f"{PSEUDO_OPEN}{body} {padding}{PSEUDO_CLOSE}"


def pseudo_catalogue(template: Path = TEMPLATE) -> Catalog:
    """Every message of the template in the pseudo-locale (served as ``en``:
    Babel knows no pseudo-locale, and English dates and numbers are fine)."""
    with template.open("rb") as handle:
        source = read_po(handle, locale="en")
    catalog = Catalog(locale="en", project="Consult (pseudo-locale)", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            string = (pseudo(message.id[0]), pseudo(message.id[1]))
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, flags=message.flags - {"fuzzy"})
    return catalog


def write_pseudo_locale(directory: Path) -> Path:
    """The pseudo-locale's .po and .mo under directory/en/LC_MESSAGES/."""
    folder = Path(directory) / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    catalog = pseudo_catalogue()
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog, width=None)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


def write_pseudo_languages(directory: Path, locales: tuple[str, ...]) -> Path:
    """The pseudo-locale's catalogue compiled as each of ``locales`` (e.g. ``ko``
    and ``ms``) under directory/<locale>/LC_MESSAGES/, and nothing for English:
    pointed at by ``BABEL_TRANSLATION_DIRECTORIES``, a text composed in one of
    these languages reads ``⟦...⟧`` while English stays plain English."""
    catalog = pseudo_catalogue()
    for locale in locales:
        folder = Path(directory) / locale / LC_MESSAGES
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog)
    return Path(directory)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "pseudo":
        sys.exit("usage: python -m tests.i18n.catalogues pseudo DIRECTORY")
    print(write_pseudo_locale(Path(sys.argv[2])))
