"""Redaction of personal data in reports: people's names and identity numbers.

A case names people in several places (members of the deciding body, candidates, inspection teams,
non-voting attendees); each may also carry an identity number. Findings mostly speak of people by
their ids, but sources (file names), case titles, validation messages that echo an input value and
free text can carry a name. `Redactor.for_case(raw_data)` collects every name and identity number the
raw case data holds — it walks the whole mapping, so a field added to the model later is covered
too — and `Redactor.apply(value)` replaces them in any string inside a result, a dataclass, a
mapping or a list.

Replacements:

* a name of a record with an id becomes ``〔<id>〕`` (e.g. ``〔m03〕``), so a redacted report still
  tells people apart; a name without an id (an inspection-team member not in the case) ``〔姓名〕``;
  where a message names a person by id and name (``c1 张三（县财政局副局长）``, engine/python.py
  `person_label`) the id alone stays (``c1（县财政局副局长）``);
* an identity number — a known one, or anything shaped like one (18 digits or 17 and ``X``,
  or 15 digits) — becomes ``〔身份证号〕``;
* a date recorded in a candidate's sourced values (`records`, 三龄二历一身份), the candidate's own
  birth, work-start and Party dates beside them, and the birth date inside their identity number
  become ``〔日期〕``: the dossier checks quote them as evidence;
* a validation message's echo of the input value (``(got '...')``) becomes ``(got 〔已隐去〕)``,
  since the echoed value may be personal data that was put in the wrong field. The Chinese message
  is rendered from the error's parameters (errors.py `render`), not from the English text: the
  echoed parameter (`got`) becomes ``〔已隐去〕`` there, so it reads ``（实际为 〔已隐去〕）``.
  The other parameters that quote the input (errors.py ECHOED: a duplicate key, a YAML tag, a
  waiver file's case id, rule id or date as written, an engine failure's text) are hidden the same
  way, and a parser's complaint (COMPLAINTS) loses what it quotes of the input
  (``found undefined alias 〔已隐去〕``); the English message is said again from the parameters.
  The other parameters are redacted like any text and keep their type (a `Said` said in both
  languages, a nested `Problem`), so the message still renders in the language asked for.

What counts as personal: every value of a `name` or `id_number` field (whatever its length or
type), and every value of a field that refers to a person (`candidate`, `member`, `attendees` …)
that is not the id of a record of the case — a name written where an id belongs. Free text (titles,
reasons, waiver reasons, file names, messages) is matched against these values after normalising
both sides: spaces (also full-width) and hyphens ignored, letter case folded, full-width forms
read as half-width (Unicode NFKC); so 马 俊杰, ＬＩ ＳＩ and a spaced identity number are found. A
name of one character, or of Latin letters only, is replaced only where it stands alone (not inside
a longer word: 王 in 王府井 stays), since it would otherwise erase ordinary text. The file name of a
case that could not be read at all (so its people are unknown) is hidden whole.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import PurePath
from typing import Any

from cadre_rules.errors import COMPLAINTS, ECHOED, InputError, Problem, Said, render, without_quotes

NAME_TOKEN = "〔姓名〕"
DATE_TOKEN = "〔日期〕"
ID_NUMBER_TOKEN = "〔身份证号〕"
HIDDEN = "〔已隐去〕"
ECHO_TOKEN = f"(got {HIDDEN})"
FILE_TOKEN = "〔文件名已隐去〕"
CASE_ID_TOKEN = "〔案例编号已隐去〕"  # a case id no audited case vouches for (a waiver's case not audited)

# 18-digit resident identity numbers (last character may be X) and the older 15-digit ones (any
# Unicode digits, so full-width ones too), also written in the usual 6-8-4 groups.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXxＸｘ]|\d{15}|\d{6}[ \u3000-]\d{8}[ \u3000-]\d{3}[\dXxＸｘ])"
                       r"(?![0-9A-Za-z])")
_ECHO = re.compile(r"\(got .*\)$", re.S)
# Keys under which the case model keeps a name that is not a person's.
_NOT_PERSONAL = {("body", "name")}
# Fields that refer to a person of the case by id (case model: Id fields other than `id`).
PERSON_REFERENCES = frozenset({"candidate", "member", "person", "relative", "intended_candidates", "reference_list",
                               "presenter", "departed", "recused", "members_due", "attendees", "chair", "leader"})
_IGNORED = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u00b7", "\u30fb"}  # hyphens, middle dots


_SPACE = re.compile(r"[\s" + "".join(re.escape(c) for c in sorted(_IGNORED)) + "]+")


def normalise(text: str) -> str:
    """What two spellings of one name share: NFKC (full width to half width), case folded, no spaces
    or hyphens."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """`normalise(text)` and, for each of its characters, the index of the character of `text` it came from."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch).casefold():
            if not out.isspace() and out not in _IGNORED:
                chars.append(out)
                where.append(i)
    return "".join(chars), where


def _standalone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isalnum() or after.isalnum())


class Redactor:
    """Replaces the names and identity numbers of one case (and anything shaped like an identity number)."""

    def __init__(self, replacements: dict[str, str] | None = None, hide_file_names: bool = False) -> None:
        # Longest first, so that 王海燕 is replaced before a shorter name 王海 could split it.
        pairs: dict[str, tuple[str, str]] = {}
        for text, token in (replacements or {}).items():
            key = normalise(text)
            if key and key not in pairs:
                pairs[key] = (text, token)
        self._pairs = sorted(((key, text, token) for key, (text, token) in pairs.items()),
                             key=lambda item: (-len(item[0]), item[0]))
        self.hide_file_names = hide_file_names

    @classmethod
    def for_case(cls, data: Any) -> "Redactor":
        """A redactor for the people named anywhere in raw case data (valid or not)."""
        if not isinstance(data, dict):
            return cls({}, hide_file_names=True)  # nothing is known of its people: hide its file name too
        found: dict[str, str] = {}
        _collect(data, found)
        return cls(found)

    @classmethod
    def for_register_unit(cls, people: Any) -> "Redactor":
        """A redactor for the people a unit's cross-case findings name (audit/register.py UnitResult.people:
        id, name, and the birth and retirement dates, which the retirement messages would give away)."""
        found: dict[str, str] = {}
        for person in people:
            ident, name = str(person["id"]), str(person.get("name") or "").strip()
            if name:
                found.setdefault(f"{ident} {name}", ident)  # "p-jz-1 卫东（副市长）" → "p-jz-1（副市长）"
                found.setdefault(name, f"〔{ident}〕" if name not in ident else NAME_TOKEN)
            for day in person.get("dates") or ():
                found.setdefault(day.isoformat()[:10], DATE_TOKEN)
        return cls(found)

    @property
    def names(self) -> list[str]:
        return [text for _, text, token in self._pairs if token != ID_NUMBER_TOKEN]

    def text(self, value: str) -> str:
        value = ID_NUMBER.sub(ID_NUMBER_TOKEN, value)
        if self._pairs:
            value = self._replace_known(value)
        if "(got " in value:
            value = _ECHO.sub(ECHO_TOKEN, value)
        return value

    def _replace_known(self, value: str) -> str:
        quick = normalise(value)  # in C: most strings hold no name, and are done here
        if not any(key in quick for key, _, _ in self._pairs):
            return value
        flat, where = _normalised_with_positions(value)
        spans: list[tuple[int, int, str]] = []  # (start, end) in `value`, token
        taken = [False] * len(flat)
        for key, text, token in self._pairs:
            strict = len(key) == 1 or key.isascii()  # short or Latin: only where it stands alone
            at = flat.find(key)
            while at >= 0:
                stop = at + len(key)
                start, end = where[at], where[stop - 1] + 1
                if not any(taken[at:stop]) and (not strict or _standalone(value, start, end)):
                    for k in range(at, stop):
                        taken[k] = True
                    spans.append((start, end, token))
                at = flat.find(key, at + 1)
        for start, end, token in sorted(spans, reverse=True):
            value = value[:start] + token + value[end:]
        return value

    def file_name(self, source: str) -> str:
        """A source path with its file name hidden (a `:line` suffix of a .jsonl source is kept)."""
        path, sep, line = source.rpartition(":")
        if not (sep and line.isdigit()):
            path, line = source, ""
        pure = PurePath(path)
        hidden = str(pure.with_name(FILE_TOKEN + pure.suffix)) if pure.name else FILE_TOKEN
        return f"{hidden}:{line}" if line else hidden

    def apply(self, value: Any) -> Any:
        """The value with every string in it redacted: strings, dataclasses, mappings, lists and tuples."""
        if isinstance(value, Problem):  # a str that also renders itself in Chinese from its parameters
            return value.with_params(self._params(value.params, value.template))
        if isinstance(value, str):
            return self.text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.apply(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            if isinstance(value, InputError) and value.params is not None:
                template = value.template or value.kind
                changes["params"] = self._params(value.params, template)
                if template in ECHOED or template in COMPLAINTS:  # its English said again without them
                    changes["message"] = render(template, changes["params"], "en")
            if self.hide_file_names and isinstance(changes.get("source"), str):
                changes["source"] = self.file_name(getattr(value, "source"))
            return dataclasses.replace(value, **changes)
        if isinstance(value, dict):
            return {self.apply(k) if isinstance(k, str) else k: self.apply(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v) for v in value]
        if isinstance(value, tuple):
            items = [self.apply(v) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)  # a NamedTuple (Said) stays one
        return value

    def _params(self, params: Any, kind: Any = None) -> dict[str, Any]:
        """An error's parameters redacted: the echoed input value (`got`) hidden whole, whatever it is,
        and so are the other parameters of `kind` that quote the input (errors.py ECHOED); a parser's
        complaint (COMPLAINTS) loses what it quotes."""
        echoed = ECHOED.get(kind, frozenset())
        complaints = COMPLAINTS.get(kind, frozenset())
        out: dict[str, Any] = {}
        for key, value in dict(params).items():
            if value is not None and (key == "got" or key in echoed):
                out[key] = HIDDEN
            elif key in complaints and not isinstance(value, Problem):
                out[key] = self.apply(_unquoted(value))
            else:
                out[key] = self.apply(value)
        return out


def _unquoted(value: Any) -> Any:
    """A parser's complaint (a text, or a Said in both languages) without what it quotes."""
    if isinstance(value, Said):
        return Said(without_quotes(value.en, HIDDEN), without_quotes(value.zh, HIDDEN))
    return without_quotes(value, HIDDEN) if isinstance(value, str) else value


def without_names(value: Any, data: Any) -> Any:
    """`value` with the people named in the raw case `data` taken out: for the reports that print no
    names at all (annual, spot check, departure), e.g. the line of an input they leave out."""
    return Redactor.for_case(data).apply(value)


_PERSONAL_DATES = ("birth_date", "work_start_date", "party_join_date")


def _dates(node: Any, found: dict[str, str]) -> None:
    """Every date (a date object or an ISO date text) inside `node`, to be masked."""
    if isinstance(node, dict):
        for value in node.values():
            _dates(value, found)
    elif isinstance(node, list):
        for value in node:
            _dates(value, found)
    elif hasattr(node, "isoformat") and not isinstance(node, str):
        found.setdefault(node.isoformat()[:10], DATE_TOKEN)
    elif isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node.strip()):
        found.setdefault(node.strip(), DATE_TOKEN)


def _collect(data: dict[str, Any], found: dict[str, str]) -> None:
    """Every personal value of the raw case data. Iterative, and each container is visited once (YAML
    aliases share containers: an alias bomb costs its size, not its expansion)."""
    ids: set[str] = set()
    references: list[str] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, dict) and isinstance(node.get("records"), dict):
            # a candidate with sourced values: its dates are evidence of the dossier checks
            _dates(node["records"], found)
            _dates([node.get(key) for key in _PERSONAL_DATES if node.get(key) is not None], found)
            number = str(node.get("id_number") or "").strip()
            if len(number) == 18 and number[6:14].isdigit():
                found.setdefault(f"{number[6:10]}-{number[10:12]}-{number[12:14]}", DATE_TOKEN)
        if isinstance(node, dict):
            ident = node.get("id") if isinstance(node.get("id"), str) else None
            if ident:
                ids.add(ident.strip())
            person = node.get("person") if isinstance(node.get("person"), str) else None
            for key, value in node.items():
                key = str(key)
                if key == "name" and path[-1:] + (key,) not in _NOT_PERSONAL:
                    if isinstance(value, (str, int, float)) and str(value).strip():
                        name = str(value).strip()
                        label = person or ident
                        found.setdefault(name, f"〔{label}〕" if label and name not in label else NAME_TOKEN)
                        if ident and name not in ident:  # messages name a person "c1 张三": the id alone stays
                            found.setdefault(f"{ident} {name}", ident)
                    elif isinstance(value, (dict, list)):
                        stack.append((value, path + (key,)))
                elif key == "id_number" and isinstance(value, (str, int)) and str(value).strip():
                    found[str(value).strip()] = ID_NUMBER_TOKEN
                elif key in PERSON_REFERENCES:
                    items = value if isinstance(value, list) else [value]
                    references += [str(v).strip() for v in items if isinstance(v, (str, int)) and str(v).strip()]
                    stack.extend((v, path + (key,)) for v in items if isinstance(v, (dict, list)))
                else:
                    stack.append((value, path + (key,)))
        elif isinstance(node, list):
            stack.extend((item, path) for item in node)
    for value in references:  # a reference that is no record's id may be a name written in its place
        if value not in ids:
            found.setdefault(value, NAME_TOKEN)
