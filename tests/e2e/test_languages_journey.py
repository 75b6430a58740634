"""Journeys in Bahasa Melayu and Simplified Chinese, and every language at phone width.

A visitor chooses the language with the switcher on the first page they open
(no cookie set by the test), browses the events and the demo event, registers,
opens the manage link from the confirmation email, answers the pre-event
survey; then an organiser logs in, switches to the same language and opens the
event's dashboard. The interface strings the journey looks for are read from
the compiled catalogues (Flask-Babel's `force_locale` + `gettext`), never
guessed; the demo's own texts (event, groups, survey) are organiser content,
so the journey finds them by position or value, not by their wording.

At a 360×740 viewport, for each interface language, the public event page,
the registration form, the manage page and the organiser's dashboard must not
scroll sideways, and no button, nav link or switcher label may be cut off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, login_as, text_body
from tests.e2e.steps import expect, manage_path

LANGUAGES = ["en", "ms", "zh_Hans", "zh_Hant", "id", "vi", "ko"]
PHONE = {"width": 360, "height": 740}
EVENT = f"/events/{DEMO_SLUG}"


@pytest.fixture(scope="module")
def catalogue() -> Iterator[Callable[[str], Callable[..., str]]]:
    """catalogue(locale) -> gettext(message, **values) in that locale, from the
    compiled catalogue the stack serves."""
    from flask_babel import force_locale, gettext

    from consult import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    def in_locale(locale: str) -> Callable[..., str]:
        def translate(message: str, **values) -> str:
            with app.test_request_context(), force_locale(locale):
                return gettext(message, **values)

        return translate

    yield in_locale


def html_lang(locale: str) -> str:
    return locale.replace("_", "-")


def expect_lang(page, locale: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", html_lang(locale))


def switch_language(page, locale: str) -> None:
    """Choose `locale` with the switcher in the page's header."""
    switcher = page.locator("details.language-switcher")
    switcher.locator("summary").click()
    switcher.locator(f'a[hreflang="{html_lang(locale)}"]').click()
    expect_lang(page, locale)


def settle(page) -> None:
    """Wait for the page's animations (the switcher's menu fading in)."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")


def registration_has_language() -> bool:
    """Whether registrations keep their preferred language (issue 19, item 2)."""
    from consult.registration.models import Registration

    return hasattr(Registration, "language")


# The registration form's own labels (not the event's questions and groups).
FORM_LABELS = (
    "Full name", "Email", "Organisation", "Job title", "Country", "City",
    "Your time zone", "Attendee", "Interpretation needed (language)",
    "I need live captions", "Other accessibility needs",
    "I have read and accept the privacy notice", "I agree to being recorded",
    "Show my name in the participant list",
    "Send me follow-up emails about this work",
)  # fmt: skip

FORM_LEGENDS = (
    "About you", "Which group do you belong to?", "How will you take part?",
    "Accessibility and language", "Consents",
)  # fmt: skip

# (locale, name, email, stakeholder group key, country code)
PEOPLE = [
    ("ms", "Nurul Ain Kamarudin", "nurul.ain@komuniti.example", "civil_society", "MY"),
    ("zh_Hans", "Chen Xiu Lan", "chen.xiulan@research.example", "research", "MY"),
]


@pytest.mark.parametrize(
    ("locale", "name", "email", "group", "country"),
    PEOPLE,
    ids=[person[0] for person in PEOPLE],
)
def test_language_journey(
    stack, new_context, screenshots, catalogue, locale, name, email, group, country
):
    _ = catalogue(locale)
    shoot = screenshots(f"language-{locale}")
    page = new_context().new_page()

    # The first page is in English (the browser asks for en-US); the visitor
    # chooses their language with the switcher.
    page.goto("/")
    expect_lang(page, "en")
    switch_language(page, locale)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(
        page.get_by_role(
            "heading", level=1, name=_("Webinars and stakeholder consultations")
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name=_("Library"), exact=True)).to_be_visible()
    shoot(page, "events")

    page.locator(f'main a[href$="{EVENT}"]').first.click()
    expect(page).to_have_url(re.compile(f"{EVENT}$"))
    expect_lang(page, locale)
    heading = page.get_by_role("heading", level=1)
    title = heading.inner_text().strip()
    # A title not translated into this language carries the name of the
    # language it is shown in: not part of the title.
    marker = heading.locator(".language-marker")
    if marker.count():
        title = title.removesuffix(marker.first.inner_text().strip()).strip()
    assert title, "the event page has a title"
    shoot(page, "event")

    page.get_by_role("button", name=_("Register"), exact=True).click()
    expect(page).to_have_url(re.compile(f"{EVENT}/register$"))
    expect_lang(page, locale)
    expect(
        page.get_by_role("heading", level=1, name=_("Register"), exact=True)
    ).to_be_visible()
    for legend in map(_, FORM_LEGENDS):
        expect(page.locator("legend", has_text=legend)).to_be_visible()
    for label in FORM_LABELS:
        expect(page.locator("label", has_text=_(label)).first).to_be_visible()
    page.get_by_label(_("Full name")).fill(name)
    page.get_by_label(_("Email")).first.fill(email)
    page.get_by_label(_("Country")).select_option(value=country)
    page.locator(f'input[name="type_key"][value="{group}"]').check()
    page.get_by_label(_("I have read and accept the privacy notice")).check()
    shoot(page, "registration-form")
    page.get_by_role("button", name=_("Register"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=_("Thank you"))).to_be_visible()
    expect_lang(page, locale)
    expect(page.locator(".registration-outcome")).to_have_text(
        _("Your seat is confirmed.")
    )
    shoot(page, "registered")

    # Messages are composed in the registrant's preferred language once
    # registrations keep one; before that, in the site's default (English).
    mail_locale = locale if registration_has_language() else "en"
    before, after = catalogue(mail_locale)(
        "You are registered: %(title)s", title="\x00"
    ).split("\x00")
    confirmation = stack.mailbox.wait_for(email, before)
    subject = str(confirmation["Subject"])
    assert subject.startswith(before) and subject.endswith(after), subject
    if mail_locale == locale:
        # Compared word by word: a long subject is folded into encoded words,
        # and the page collapses spaces.
        assert subject.split() == (before + title + after).split(), subject
    assert catalogue(mail_locale)(
        "You are registered for this event. We look forward to seeing you."
    ) in text_body(confirmation)

    page.goto(manage_path(stack, confirmation))
    expect_lang(page, locale)
    expect(
        page.get_by_role("heading", level=1, name=_("Your registration"))
    ).to_be_visible()
    expect(page.get_by_text(_("Your seat is confirmed."))).to_be_visible()
    expect(page.get_by_text(email)).to_be_visible()
    shoot(page, "manage-page")

    surveys = page.locator("section[aria-labelledby=surveys-heading]")
    expect(surveys.get_by_role("heading", name=_("Surveys"))).to_be_visible()
    surveys.get_by_role("link").first.click()
    expect_lang(page, locale)
    questions = page.locator("li.survey-question")
    expect(questions).to_have_count(5)
    # What they expect (up to two), how familiar they are, their challenge.
    questions.nth(0).locator("input[type=checkbox]").nth(0).check()
    questions.nth(0).locator("input[type=checkbox]").nth(3).check()
    questions.nth(1).locator("input[type=radio]").nth(2).check()
    questions.nth(2).locator("input[type=radio]").nth(1).check()
    expect(
        page.get_by_role("button", name=_("Save draft and finish later"))
    ).to_be_visible()
    shoot(page, "survey")
    page.get_by_role("button", name=_("Submit my answers")).click()
    expect(
        page.locator(".flash").filter(
            has_text=_("Thank you! Your answers are recorded.")
        )
    ).to_be_visible()
    expect_lang(page, locale)
    shoot(page, "survey-answered")

    organiser = new_context().new_page()
    login_as(organiser, *ORGANISER)
    switch_language(organiser, locale)
    organiser.goto(f"/manage/events/{DEMO_SLUG}/dashboard")
    expect_lang(organiser, locale)
    expect(
        organiser.get_by_role("heading", name=_("Dashboard"), exact=True)
    ).to_be_visible()
    for heading in (_("At a glance"), _("Stakeholder balance")):
        expect(organiser.get_by_role("heading", name=heading)).to_be_visible()
    expect(
        organiser.get_by_role("button", name=_("Consultation report"))
    ).to_be_visible()
    shoot(organiser, "organiser-dashboard")


# --- Phone width ---------------------------------------------------------------

# Everything a label can be cut off in: buttons, links styled as buttons,
# the nav's links and the language switcher. Boxes narrower than 2px are
# visually hidden on purpose.
CUT_OFF = """
() => {
  const width = window.innerWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`page is ${page}px wide in a ${width}px window`);
  const selector = 'button, [role=button], input[type=submit], nav a, nav summary';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    if (el.closest('details:not([open]) > ul')) continue;
    const text = (el.innerText || el.value || '').trim().slice(0, 60);
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(`"${text}" spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    const inline = getComputedStyle(el).display === 'inline';
    if (!inline && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`"${text}" cut off: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def phone_manage_path(stack, browser) -> str:
    """The manage page of one confirmed registrant, registered through the form."""
    email = "phone.width@komuniti.example"
    context = browser.new_context(base_url=stack.base_url)
    try:
        page = context.new_page()
        page.goto(f"{EVENT}/register")
        page.get_by_label("Full name").fill("Siti Khadijah binti Abdul Rahman")
        page.get_by_label("Email").first.fill(email)
        page.get_by_label("Country").select_option(value="MY")
        page.locator('input[name="type_key"][value="civil_society"]').check()
        page.get_by_label("I have read and accept the privacy notice").check()
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page.locator(".registration-outcome")).to_have_text(
            "Your seat is confirmed."
        )
    finally:
        context.close()
    return manage_path(stack, stack.mailbox.wait_for(email, "You are registered"))


def assert_fits(page, shoot, locale: str, step: str, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response.status}"
    expect_lang(page, locale)
    problems = page.evaluate(CUT_OFF)
    shoot(page, step)
    assert not problems, f"{locale} {path} at 360px:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_phone_width_holds_in_every_language(
    stack, new_context, screenshots, phone_manage_path, locale
):
    shoot = screenshots(f"phone-{locale}")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"/language/{locale}?next={EVENT}")
    expect_lang(page, locale)
    assert_fits(page, shoot, locale, "event", EVENT)
    # The nav's language switcher, open.
    page.locator("details.language-switcher summary").click()
    settle(page)
    problems = page.evaluate(CUT_OFF)
    shoot(page, "switcher-open")
    assert not problems, f"{locale} switcher at 360px:\n" + "\n".join(problems)
    assert_fits(page, shoot, locale, "registration-form", f"{EVENT}/register")
    assert_fits(page, shoot, locale, "manage-page", phone_manage_path)

    organiser = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login_as(organiser, *ORGANISER)
    organiser.goto(f"/language/{locale}?next=/")
    assert_fits(organiser, shoot, locale, "event-organiser", EVENT)
    assert_fits(
        organiser, shoot, locale, "dashboard", f"/manage/events/{DEMO_SLUG}/dashboard"
    )
