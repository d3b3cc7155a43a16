"""`--redact` and a value echoed by a validation message (where test_report_redact.py did not look).

* A value that is no name the case records, put in a field that echoes it — a relative's name in a
  level, say. The English message hides the echo (`(got 〔已隐去〕)`); the Chinese one, the default,
  is rendered from the error's parameters and must hide it as well (`（实际为 〔已隐去〕）`).
* Redacting an error must not garble its message: words said in both languages (a list of allowed
  values, a parser's complaint) stay one language, not a Python tuple.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from casedata import dump

FORMATS = ["table", "json", "jsonl", "markdown", "html", "sarif", "junit", "github"]
STRANGER = "林雪梅"  # recorded nowhere in the case as a name


def run(*args: str):
    return CliRunner().invoke(main, ["audit", *args, "--as-of", "2024-01-01"])


@pytest.fixture
def echoing(tmp_path, baseline) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    case = copy.deepcopy(baseline)
    case["id"] = "2021-qx-czj-301"
    case["candidates"][0]["current_level"] = f"{STRANGER}的丈夫"  # invalid: the message echoes it
    case["body"]["members"][1]["roles"] = ["member", "organisation_lead", "某某"]  # invalid: a list of allowed words
    (root / "1.json").write_text(dump(case), encoding="utf-8")
    (root / "2.yaml").write_text("id: 2021-qx-czj-302\ncandidates:\n  - {id: c1, name: x\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_echoed_value_is_hidden_in_both_languages(echoing, fmt, lang):
    plain = run(str(echoing), "--format", fmt, "--lang", lang)
    assert STRANGER in plain.stdout + plain.stderr  # the check can fail
    result = run(str(echoing), "--format", fmt, "--lang", lang, "--redact")
    assert result.exit_code == 2
    assert STRANGER not in result.stdout + result.stderr, (fmt, lang)
    assert ("（实际为 〔已隐去〕）" if lang == "zh" else "(got 〔已隐去〕)") in result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_redaction_leaves_the_words_of_a_message_in_one_language(echoing, lang):
    plain = run(str(echoing), "--lang", lang).stderr.splitlines()
    redacted = run(str(echoing), "--lang", lang, "--redact").stderr.splitlines()
    assert len(plain) == len(redacted) == 3
    for before, after in zip(plain, redacted):
        assert "(\"'" not in after and "', '" not in after or lang == "en", after  # no tuple of both languages
        # the same line but for the echoed value (and the name of the file that could not be read)
        cut = "（实际为" if lang == "zh" else "(got"
        assert re.sub(r"^.*?\.(json|yaml)", "", after).split(cut)[0] == \
            re.sub(r"^.*?\.(json|yaml)", "", before).split(cut)[0]
    assert any("缺少逗号 , 或右花括号 }" in line for line in redacted) or lang == "en"
