"""The text catalogue: both languages, fallbacks, and no developer words in what readers see."""

from __future__ import annotations

import json
import re

import pytest

from geo import locale
from geo.render import page_locales


def _keys(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _keys(v, f"{prefix}{k}.")
    else:
        yield prefix.rstrip(".")


def _strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def test_both_languages_have_the_same_keys_except_the_shared_glossary():
    zh, en = set(_keys(locale.catalogue("zh-CN"))), set(_keys(locale.catalogue("en")))
    assert {k for k in zh - en if not k.startswith("search.")} == set()
    assert en - zh == set()


def test_a_missing_key_falls_back_to_the_other_language(monkeypatch):
    real = locale._load

    def partial(language):
        data = json.loads(json.dumps(real(language)))
        if language == "en":
            del data["page"]["legend"]
            data["page"]["sheetStates"].pop("half")
        return data

    monkeypatch.setattr(locale, "_load", partial)
    merged = locale.merged("en")
    assert merged["page"]["legend"] == locale.catalogue("zh-CN")["page"]["legend"]
    assert merged["page"]["sheetStates"] == {"peek": "collapsed", "half": "半屏 half", "full": "full"}
    assert merged["page"]["title"] == "Nanguan District parks & projects"  # its own words stay
    assert merged["search"]["glossary"]["创意"] == "creative"  # the glossary lives in the Chinese file only


def test_text_fills_fields_and_refuses_unknowns():
    assert locale.text("page.filterCount", "en", n=3, total=6) == "Showing 3 of 6 located places"
    assert locale.text("status.under_construction") == "在建 under construction"
    with pytest.raises(KeyError):
        locale.text("page.nothing")
    with pytest.raises(ValueError, match="language must be one of zh-CN, en"):
        locale.catalogue("fr")


def test_the_chinese_file_is_chinese_first_and_the_english_file_english():
    han = re.compile(r"[\u4e00-\u9fff]")
    for key in ("title", "legend", "unlocatedNote", "legendNote", "exportNothing", "downloads", "filters"):
        zh, en = locale.catalogue("zh-CN")["page"][key], locale.catalogue("en")["page"][key]
        assert han.match(zh), key  # starts with Chinese
        assert not han.search(en), key


#: Commands, options, backticks and the data's codes: for the command line's help, never for readers.
DEVELOPER = re.compile(r"\bgeo (locate|import|build|serve|add-park|update)\b|(^|\s)--[a-z]|`|\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("language", locale.LANGUAGES)
def test_no_developer_words_in_what_readers_see(language):
    cat = page_locales()[language]
    found = [s for section in ("page", "status", "precision", "outline", "figure", "draw", "editor", "category")
             for s in _strings(cat[section]) if DEVELOPER.search(s)]  # fmt: skip
    assert found == []
    assert DEVELOPER.search("run `geo locate --missing`")  # the check can fail
