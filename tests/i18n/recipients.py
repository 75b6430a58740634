"""Fixtures for tests of the person's language: an app whose Korean and Malay
are the pseudo-locale (``⟦...⟧``), so that a text composed in a person's
language is visible without asserting on the real catalogues (still being
written), while English, which has no catalogue here, stays plain English.

Import them into a test module: ``from tests.i18n.recipients import
pseudo_languages, app_config, own_translations  # noqa: F401``.
"""

from __future__ import annotations

import pytest

from consult.extensions import babel
from tests.factories import SERVER_NAMED
from tests.i18n.catalogues import PSEUDO_OPEN, write_pseudo_languages
from tests.visitors import fresh_locale

PSEUDO_LOCALES = ("ko", "ms")


@pytest.fixture(scope="module")
def pseudo_languages(tmp_path_factory):
    """A directory of catalogues: ko and ms compiled from the pseudo-locale."""
    return write_pseudo_languages(
        tmp_path_factory.mktemp("pseudo-languages"), PSEUDO_LOCALES
    )


@pytest.fixture
def app_config(pseudo_languages):
    return {
        **SERVER_NAMED,
        "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_languages),
    }


@pytest.fixture(autouse=True)
def own_translations(app):
    """Flask-Babel caches loaded catalogues on the one Babel object every app of
    the process shares: the real ones must not serve here, nor these after."""
    babel.domain_instance.cache.clear()
    yield
    babel.domain_instance.cache.clear()


def is_pseudo(text: str) -> bool:
    """Whether ``text`` holds translated (pseudo-locale) text."""
    return PSEUDO_OPEN in (text or "")


def choosing_afresh(client):
    """``client`` with each request choosing its language afresh: the test holds
    one app context, where Flask-Babel would keep the first request's locale."""
    return fresh_locale(client)
