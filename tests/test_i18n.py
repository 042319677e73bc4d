"""The English translation: pages switch language, and the catalogue is complete and compiled.

Vietnamese is the default; English comes from smartcommune/locale/en/LC_MESSAGES/django.po.
When strings are added to templates or code, refresh and translate the catalogue
(from the repository root)::

    cd smartcommune && PYTHONPATH=.. SECRET_KEY=x ../.venv/bin/python -m django makemessages \\
        -l en -e html,txt,py --ignore "migrations/*" --settings=tests.settings
    # translate the new/empty/fuzzy entries in locale/en/LC_MESSAGES/django.po, then
    PYTHONPATH=.. SECRET_KEY=x ../.venv/bin/python -m django compilemessages -l en --settings=tests.settings
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from smartcommune.criteria.engine import STATUS_LABELS_VI

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

HOME = reverse("home")
LOGIN = reverse("login")
SET_LANGUAGE = reverse("set_language")

# Interface text of the shared chrome (header, navigation, language switcher) and the login form.
VI_CHROME = ("Xã thông minh", "Ngôn ngữ", "Đăng nhập")
VI_LOGIN = ("Tên đăng nhập", "Mật khẩu", "Đăng nhập", "Đăng xuất")
VI_SIGNED_IN_NAV = ("Việc của tôi", "Thông báo", "Đăng xuất", "Điều hướng chính")


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# -- pages ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pages_are_vietnamese_by_default(client):
    home = page(client.get(HOME))
    assert '<html lang="vi">' in home
    assert "Xã thông minh" in home and "Đăng nhập" in home
    assert "Log in" not in home and "Smart Commune" not in home
    login = page(client.get(LOGIN))
    assert "Tên đăng nhập" in login and "Mật khẩu" in login
    assert "Username" not in login and "Password" not in login


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_vietnamese(client):
    # Issue 14: the interface follows the choice made in the language menu, never the
    # browser's Accept-Language.
    for accept in ("en", "en-US,en;q=0.9", "fr, en;q=0.5"):
        response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=accept)
        login = page(response)
        assert '<html lang="vi">' in login and "Tên đăng nhập" in login, accept
        assert response["Content-Language"] == "vi"
        assert "cookie" in response["Vary"].lower() and "accept-language" not in response["Vary"].lower()
    client.post(SET_LANGUAGE, {"language": "en", "next": LOGIN}, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Username" in page(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="vi"))


@pytest.mark.django_db
def test_an_unknown_language_choice_is_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in page(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_landing_page_in_english(client):
    home = page(in_english(client).get(HOME))
    assert '<html lang="en">' in home
    assert "Smart Commune" in home and "Log in" in home and "Language" in home
    assert "Lead agency" in home and "A commune is recognised when it meets at least 7 of 10 fields." in home
    for text in VI_CHROME:
        assert text not in home, text


@pytest.mark.django_db
def test_login_page_in_english(client):
    login = page(in_english(client).get(LOGIN))
    assert '<html lang="en">' in login
    assert "Username" in login and "Password" in login and "Log in" in login
    for text in VI_CHROME + VI_LOGIN:
        assert text not in login, text
    failed = in_english(client).post(LOGIN, {"username": "nobody", "password": "wrong"})
    assert "Incorrect username or password" in page(failed)


@pytest.mark.django_db
def test_signed_in_navigation_in_english(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("no_roles", password="x" * 16))
    home = page(in_english(client).get(HOME))
    assert "My work" in home and "Notifications" in home and "Log out" in home
    # The menu names the pages, in the plural ("Result" is a column heading elsewhere).
    assert '">Results</a>' in home and '">Result</a>' not in home
    for text in VI_SIGNED_IN_NAV:
        assert text not in home, text


@pytest.mark.django_db
def test_setlang_switches_to_english_and_back(client):
    response = client.post(SET_LANGUAGE, {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    login = page(client.get(LOGIN))
    assert "Username" in login and "Tên đăng nhập" not in login

    client.post(SET_LANGUAGE, {"language": "vi", "next": HOME})
    assert "Tên đăng nhập" in page(client.get(LOGIN))


@pytest.mark.django_db
def test_language_switcher_is_on_every_page(client):
    home = page(client.get(HOME))
    assert f'action="{SET_LANGUAGE}"' in home
    assert '<option value="en"' in home and '<option value="vi" selected' in home


# -- the catalogue -------------------------------------------------------------------------

def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())  # a PO string is a valid Python string literal


def parse_po(path: Path) -> list[dict]:
    """A tiny .po parser: one dict per entry with its flags, msgid and msgstr forms.

    Obsolete entries (``#~``) are left out: gettext ignores them.
    """
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(.*)$", line):
            word, index, rest = match.groups()
            key = ("msgstr", int(index or 0)) if word == "msgstr" else word
            if word == "msgstr":
                entry["msgstr"][key[1]] = _unquote(rest)
            else:
                entry[word] = _unquote(rest)
        elif line.startswith('"') and key is not None:
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        else:
            raise AssertionError(f"{path}: cannot parse line {raw!r}")
    return [e for e in entries if not e.get("obsolete")]


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO.exists(), f"{PO} is missing; run makemessages -l en"
    return parse_po(PO)


def messages(entries):
    return [e for e in entries if e["msgid"] != ""]


def test_po_has_no_untranslated_or_fuzzy_entries(po_entries):
    header = [e for e in po_entries if e["msgid"] == ""]
    assert header and "fuzzy" not in header[0]["flags"], "the header is still marked fuzzy"
    assert "Language: en" in header[0]["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0]["msgstr"][0]
    fuzzy = [e["msgid"] for e in messages(po_entries) if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages(po_entries)
                    if not e["msgstr"] or any(not s.strip() for s in e["msgstr"].values())
                    or ("msgid_plural" in e and sorted(e["msgstr"]) != [0, 1])]
    hint = "re-run makemessages -l en, translate, then compilemessages (see this module's docstring)"
    assert not fuzzy, f"fuzzy entries in {PO.name} ({hint}): {fuzzy}"
    assert not untranslated, f"untranslated entries in {PO.name} ({hint}): {untranslated}"


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\{.*?\}\}|\{\w*\}")


def test_translations_keep_their_placeholders(po_entries):
    wrong = []
    for e in messages(po_entries):
        wanted = sorted(set(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", ""))))
        for form, text in e["msgstr"].items():
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                wrong.append((e["msgid"], form, text))
    assert not wrong, wrong


def test_mo_is_compiled_from_current_po(po_entries):
    """django.mo holds exactly the translations of django.po (run compilemessages after editing).

    The catalogue contents are compared rather than only the file times, which a git checkout
    or a copy does not keep in order; the time is reported to help when they differ.
    """
    assert MO.exists(), f"{MO} is missing; run compilemessages -l en"
    with MO.open("rb") as f:
        compiled = dict(gnu_gettext.GNUTranslations(f)._catalog)
    compiled.pop("", None)
    expected = {}
    for e in messages(po_entries):
        # A message with a context (pgettext) is compiled under "context\x04message".
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            expected.update({(msgid, i): s for i, s in e["msgstr"].items()})
        else:
            expected[msgid] = e["msgstr"][0]
    if compiled != expected:
        older = MO.stat().st_mtime < PO.stat().st_mtime
        missing = sorted(str(k) for k in expected.keys() - compiled.keys())[:10]
        stale = sorted(str(k) for k in expected.keys() & compiled.keys() if compiled[k] != expected[k])[:10]
        pytest.fail(f"{MO.name} does not match {PO.name}{' and is older' if older else ''}; "
                    f"run compilemessages -l en. Missing: {missing}; different: {stale}")


def test_runtime_status_labels_are_translated():
    """The engine's status labels reach the templates as variables ({% translate r.label %}).

    makemessages cannot see them until engine.py marks them with gettext_noop, so they are kept
    in django.po by hand; a makemessages run drops them again (as obsolete "#~" entries),
    which this test catches.
    """
    with translation.override("en"):
        untranslated = [label for label in STATUS_LABELS_VI.values() if translation.gettext(label) == label]
    assert not untranslated, (
        f"status labels without an English translation: {untranslated}; re-add them to {PO} "
        "(or mark STATUS_LABELS_VI with gettext_noop in smartcommune/criteria/engine.py) and recompile")


def test_plural_forms_follow_english_rules():
    with translation.override("en"):
        assert translation.ngettext("%(n)s hồ sơ", "%(n)s hồ sơ", 1) % {"n": 1} == "1 assessment"
        assert translation.ngettext("%(n)s hồ sơ", "%(n)s hồ sơ", 3) % {"n": 3} == "3 assessments"
    with translation.override("vi"):
        assert translation.ngettext("%(n)s hồ sơ", "%(n)s hồ sơ", 3) % {"n": 3} == "3 hồ sơ"


def test_every_choice_label_of_a_model_is_translated():
    """A status, channel or kind shown with get_…_display must read in English when chosen:
    a label left as a plain string shows Vietnamese on an English page."""
    from django.apps import apps

    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("smartcommune."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or ():
                with translation.override("vi"):
                    vi = str(label)
                with translation.override("en"):
                    en = str(label)
                if vi == en and not vi.isascii():
                    untranslated.append(f"{model.__name__}.{field.name}={value}: {vi}")
    assert not untranslated, untranslated


def vietnamese_letters(text: str) -> str:
    """The letters of ``text`` outside ASCII: Vietnamese diacritics (đ, ơ, ấ...) left in it."""
    return "".join(c for c in text if c.isalpha() and not c.isascii())


def test_every_verbose_name_and_help_text_of_a_model_or_app_is_translated():
    """The admin's headings, column titles, form labels and help come from the apps' and
    models' verbose names and the fields' verbose names and help texts: each one left as a
    plain string shows Vietnamese on an English admin page."""
    from django.apps import apps

    names = []
    for app in apps.get_app_configs():
        if not app.name.startswith("smartcommune."):
            continue
        names.append((f"app {app.label}", app.verbose_name))
        for model in app.get_models():
            meta = model._meta
            names += [(model.__name__, meta.verbose_name), (f"{model.__name__} (plural)", meta.verbose_name_plural)]
            for field in meta.get_fields():
                if field.concrete:
                    names += [(f"{model.__name__}.{field.name}", field.verbose_name),
                              (f"{model.__name__}.{field.name} (help)", field.help_text)]
    assert len(names) > 300  # every app, model and field was looked at
    with translation.override("en"):
        untranslated = [f"{where}: {name}" for where, name in names if vietnamese_letters(str(name))]
    assert not untranslated, untranslated
