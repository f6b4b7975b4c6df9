"""Swedish first, English complete: both catalogues are whole and current."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE_DIR = Path(settings.BASE_DIR) / "egenmakt" / "locale"
CATALOGUES = {code: LOCALE_DIR / code / "LC_MESSAGES" / "django.po" for code in ("sv", "en")}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
IGNORED = [
    ".venv/*",
    "var/*",
    "bench/*",
    "scripts/*",
    "test-artifacts/*",
    "*/tests/*",
    "node_modules/*",
]


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in sorted(entry.msgstr_plural) or [0, 1]]
    return [entry.msgstr]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_string(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    assert not catalogue.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
    untranslated = [e.msgid for e in catalogue if not all(_translations(e))]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:20]}"
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", ["sv", "en"])
def test_translations_keep_every_placeholder(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    for entry in catalogue:
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in _translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == expected or not expected, (
                f"{language}: placeholders differ in {entry.msgid!r}"
            )


def test_catalogues_contain_every_string_in_the_code(tmp_path):
    """Re-extract the strings with makemessages and compare: a new UI string fails here."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing in CI; .ci/run installs it.")
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    # Extract from a copy without the locale folder, so makemessages writes only to tmp_path.
    source = tmp_path / "src"
    shutil.copytree(
        Path(settings.BASE_DIR) / "egenmakt",
        source / "egenmakt",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "tests", "static", "*.mo"),
    )
    fresh_dir = tmp_path / "locale"
    (fresh_dir / "sv" / "LC_MESSAGES").mkdir(parents=True)
    with override_settings(LOCALE_PATHS=[fresh_dir]):
        cwd = os.getcwd()
        os.chdir(source)
        try:
            call_command(
                "makemessages",
                locale=["sv"],
                ignore_patterns=IGNORED,
                verbosity=0,
                no_location=True,
            )
        finally:
            os.chdir(cwd)
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(fresh_dir / "sv/LC_MESSAGES/django.po"))
    }
    for language, path in CATALOGUES.items():
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
        missing = sorted(msgid for _ctx, msgid in fresh - known)
        assert not missing, f"{language}: run `make messages` and translate: {missing[:20]}"


# The sign-in page lists the active e-ID providers (sso), so it reads the database.
@pytest.mark.django_db
def test_pages_answer_in_swedish_by_default_and_in_english_on_request(client):
    page = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="sv"' in page.content.decode()
    assert "Logga in i Egenmakt" in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/logga-in/")
    assert 'lang="en"' in page.content.decode()
    assert "Sign in to Egenmakt" in page.content.decode()


# The sign-in page lists the active e-ID providers (sso), so it reads the database.
@pytest.mark.django_db
def test_language_switch_sets_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/logga-in/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in to Egenmakt" in client.get("/logga-in/").content.decode()


# Swedish wordings a reader found wrong (issue 26): the meaning, not only a translation.
SWEDISH_WORDING = {
    # The box on a task description says it has been agreed, not that it is shared.
    "Agreed": "Överenskommen",
}


def test_swedish_wordings_say_what_is_meant():
    from django.utils import translation

    with translation.override("sv"):
        for english, swedish in SWEDISH_WORDING.items():
            assert translation.gettext(english) == swedish
        letters = translation.gettext(
            "Each decision gets its letter in the applicant's language, from "
            "%(organisation)s's letters."
        ) % {"organisation": "Brukarnätverket Västerhav"}
        # Not "från Brukarnätverket Västerhav brev": a Swedish genitive needs its -s.
        assert "Västerhav brev" not in letters and "Brukarnätverket Västerhav" in letters
