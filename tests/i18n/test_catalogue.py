"""The Simplified Chinese catalogue is complete, compiled and loaded (SPEC §14).

The .po is read with a small parser (no dependency); the .mo is read with the standard
``gettext`` module, so a catalogue that was translated but not compiled is caught too.
"""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def _unquote(text):
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _entries():
    """Yield one dict per active entry: fields (msgid, msgstr, …) and flags."""
    entry, field = None, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if entry is not None and "msgid" in entry:
                yield entry
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += _unquote(line)
        else:
            match = _KEYWORD.match(line)
            assert match, f"unparseable line in {PO.name}: {line!r}"
            field = match.group(1)
            entry[field] = _unquote(match.group(2))


def _messages():
    return [e for e in _entries() if e["msgid"]]


def _translations(entry):
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def test_header_declares_simplified_chinese_without_plurals():
    header = next(e for e in _entries() if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def test_every_entry_is_translated():
    untranslated = [e["msgid"] for e in _messages() if not all(_translations(e))]
    assert untranslated == []


def test_no_entry_is_fuzzy():
    fuzzy = [e["msgid"] for e in _messages() if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_placeholders_are_kept():
    broken = []
    for e in _messages():
        if "python-format" not in e["flags"]:
            continue
        wanted = sorted(_PLACEHOLDER.findall(e["msgid"]))
        for text in _translations(e):
            if sorted(_PLACEHOLDER.findall(text)) != wanted:
                broken.append((e["msgid"], text))
    assert broken == []


def test_compiled_catalogue_matches_the_po():
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for e in _messages():
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            got = compiled.ngettext(key, e["msgid_plural"], 1)
            want = e["msgstr[0]"]
        else:
            got, want = compiled.gettext(key), e["msgstr"]
        if got != want:
            stale.append(e["msgid"])
    assert stale == [], "django.mo is out of date: run compilemessages -l zh_Hans"


def test_django_loads_the_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Complaint") == "投诉"
    with translation.override("en"):
        assert translation.gettext("Complaint") == "Complaint"
