"""The supervision data of the rulebook: accountability (rules/accountability.yaml) and the thresholds of
the two reviews (rules/reviews.yaml). Both are data, checked on load like rule files: an unknown rule id,
role, stage, edition or option is a load error naming file:line, and the citations follow the rule
files' basis entries (confidence, verified only where the article was read, source tags that resolve).

Why here and not in each rule: who answers for a breach and under which article is one table across the
rulebook (the 2010 办法 is written by groups of people), and local rulebooks copy or adjust it whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any, Callable, Mapping

from cadre_rules.codes import AccountableRole, AppointeeOption, ReviewForm, WorkOption
from cadre_rules.errors import ErrorKind, Problem, Said, names
from cadre_rules.facts.periods import act_days
from cadre_rules.reading.yamlmarks import MarkedDict, as_date, line_of
from cadre_rules.rulebook.model import CONFIDENCE, Citation, Edition

ACCOUNTABILITY_FILE = "accountability.yaml"
REVIEWS_FILE = "reviews.yaml"
FILES = (ACCOUNTABILITY_FILE, REVIEWS_FILE)

# A citation entry read as a rule's basis entry: (entry, display, context id) → Citation or None (errors added).
CiteFn = Callable[[Any, str, str], "Citation | None"]
AddFn = Callable[[str, int, "str | None", str], None]


@dataclass(frozen=True)
class AccountabilityMap:
    """Rule → responsible roles, with the article of the accountability instrument in force on a date."""

    instruments: tuple[Edition, ...] = ()  # oldest first
    defaults: Mapping[str, Citation] = field(default_factory=dict)  # edition id → citation of an unmapped role
    roles: Mapping[str, Mapping[str, Citation]] = field(default_factory=dict)  # role → edition id → citation
    rules: Mapping[str, tuple[tuple[str, Mapping[str, Citation]], ...]] = field(default_factory=dict)
    stages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)  # edition id → the accountability instrument in it
    before_first: Mapping[str, str] = field(default_factory=dict)  # zh/en: why acts before the first instrument are unmapped
    # (rule id, stage, instrument id) → the shared answer (`shared_entry`); filled as findings ask
    _entries: dict[tuple[str, str, str], dict[str, Any] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def instrument_on(self, day: date) -> Edition | None:
        """The latest accountability instrument in force on `day`, or None before the first."""
        found = None
        for edition in self.instruments:
            if edition.in_force(day):
                found = edition
        return found

    def instrument_over(self, act_date: Any) -> Edition | None:
        """The instrument in force on every day the act's date may be (a day; a month, when the act is
        dated to the month only; a range of days), or None when there is none or it changes within."""
        days = _days(act_date)
        if days is None:
            return None
        first = self.instrument_on(days[0])
        return first if first is self.instrument_on(days[1]) else None

    def unmapped_reason(self, act_date: Any, lang: str = "zh") -> str | None:
        """Why an act has no accountability entry when that is because it predates every instrument (the
        file's `before_first`) or is dated to a month in which the instrument changes; None otherwise (a
        known date after the first instrument, or no date at all)."""
        days = _days(act_date)
        if days is None or not self.instruments:
            return None
        first, last = self.instrument_on(days[0]), self.instrument_on(days[1])
        if last is None:
            return self.before_first.get(lang) or self.before_first.get("zh")
        if first is not last:
            return (f"行为日期 {act_date} 之内适用的责任追究规定有更替，需按具体日期确定" if lang == "zh" else
                    f"the accountability instrument changes within {act_date}: the day decides which applies")
        return None

    def citation(self, role: str, edition: str, own: Mapping[str, Citation] | None = None) -> Citation | None:
        return (own or {}).get(edition) or self.roles.get(role, {}).get(edition) or self.defaults.get(edition)

    def for_finding(self, rule_id: str, stage: str, act_date: Any) -> dict[str, Any] | None:
        """Who answers for a violated finding and under which article, or None when the act's date is
        unknown or before every accountability instrument, or nothing maps the rule or its stage."""
        entry = self.shared_entry(rule_id, stage, act_date)
        if entry is None:
            return None
        return {**entry, "instrument_title": dict(entry["instrument_title"]),
                "parties": [{**p, "name": dict(p["name"]), "citation": dict(p["citation"])} for p in entry["parties"]]}

    def shared_entry(self, rule_id: str, stage: str, act_date: Any) -> dict[str, Any] | None:
        """`for_finding`'s answer as one object shared by every finding of the rule, stage and instrument:
        never to be changed (a renderer keeps its JSON text). Why: the answer depends on the act's date
        only through the instrument in force; built once per rule and instrument (citations in two
        languages), it no longer costs each violated finding ~6 µs, and its JSON text ~7 µs more."""
        edition = self.instrument_over(act_date)
        if edition is None:
            return None
        key = (rule_id, stage, edition.id)
        entries = self._entries
        if key in entries:
            return entries[key]
        entry = entries[key] = self._entry(rule_id, stage, edition)
        return entry

    def _entry(self, rule_id: str, stage: str, edition: Edition) -> dict[str, Any] | None:
        if rule_id in self.rules:
            entries, basis = self.rules[rule_id], "rule"
        elif stage in self.stages:
            entries, basis = tuple((role, {}) for role in self.stages[stage]), "stage"
        else:
            return None
        parties = []
        for role, own in entries:
            cite = self.citation(role, edition.id, own)
            code = AccountableRole(role)
            parties.append({"role": role, "name": {"zh": code.zh, "en": code.en},
                            "article": cite.article if cite else None,
                            "article_verified": bool(cite and cite.verified),
                            "confidence": cite.confidence if cite else "unverified",
                            "citation": {lang: (cite.label(lang) if cite else edition.heading()[lang]) for lang in ("zh", "en")}})
        title = edition.heading(self.documents.get(edition.id))
        return {"instrument": edition.id, "instrument_title": title, "basis": basis, "parties": parties}


@dataclass(frozen=True)
class ReviewThreshold:
    """A rate of one of the two reviews that is flagged above (or below) a fraction."""

    id: str
    form: ReviewForm
    measure: str  # an option code of the form, or "favourable"
    bound: str  # "above" | "below"
    value: Fraction
    title: Mapping[str, str]
    figure_confidence: str
    figure_note: str
    basis: tuple[Citation, ...]
    follow_up: Mapping[str, str]
    file: str = ""
    line: int = 0
    # "local": the instruments read set no figure (only 满意度明显偏低) — the figure is a local parameter that a
    # profile may set (`review_thresholds:`); "instrument": the figure is the cited article's; "" (older
    # files): the figure's confidence alone says how sure it is.
    figure_kind: str = ""
    figure_read: tuple[Citation, ...] = ()  # the articles read that set no figure (kind local)
    profile: str = ""  # the profile that set the value, if one did

    @property
    def local(self) -> bool:
        return self.figure_kind == LOCAL

    def flags(self, rate: Fraction | None) -> bool:
        """Whether `rate` crosses the threshold (strictly); a rate that cannot be computed never flags."""
        if rate is None:
            return False
        return rate > self.value if self.bound == "above" else rate < self.value


FAVOURABLE = "favourable"
LOCAL, INSTRUMENT = "local", "instrument"
FIGURE_KINDS = (LOCAL, INSTRUMENT)
MEASURES = {ReviewForm.work: set(WorkOption.values()) | {FAVOURABLE},
            ReviewForm.appointee: set(AppointeeOption.values()) | {FAVOURABLE}}


def _marked(entry: Any, **extra: Any) -> Any:
    """`entry` with `extra` keys added, keeping its line marks (so a citation error names its line)."""
    out = MarkedDict({**extra, **entry}) if isinstance(entry, dict) else entry
    if isinstance(entry, MarkedDict) and isinstance(out, MarkedDict):
        out.line = entry.line
        out.key_lines = {**{k: entry.line for k in extra}, **entry.key_lines}
    return out


def _texts(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
        return {"zh": value["zh"], "en": value["en"]}
    return None


def load_accountability(data: Any, display: str, editions: Mapping[str, Edition], rule_ids: set[str],
                        stages: set[str], cite: CiteFn, add: AddFn) -> AccountabilityMap:
    """rules/accountability.yaml, checked: every name in it must exist (file:line otherwise)."""
    if data is None:
        return AccountabilityMap()
    if not isinstance(data, MarkedDict):
        add(display, line_of(data), None, Problem(ErrorKind.rule_accountability_shape))
        return AccountabilityMap()
    for key in set(data) - {"instruments", "roles", "rules", "stages", "before_first"}:
        add(display, line_of(data, key), None, Problem(ErrorKind.rule_unknown_key, key=repr(key), place="",
                                                       known="before_first, instruments, roles, rules, stages"))
    before_first: dict[str, str] = {}
    if data.get("before_first") is not None:
        texts = _texts(data["before_first"])
        if texts is None:
            add(display, line_of(data, "before_first"), None, Problem(ErrorKind.rule_needs_texts, key="before_first"))
        else:
            before_first = texts
    roles_known = set(AccountableRole.values())
    instruments: list[Edition] = []
    defaults: dict[str, Citation] = {}
    documents: dict[str, str] = {}
    for entry in data.get("instruments") or []:
        if not isinstance(entry, dict) or str(entry.get("edition")) not in editions:
            add(display, line_of(entry), None, Problem(ErrorKind.rule_unknown_edition, known=", ".join(editions),
                                                       edition=repr(entry.get('edition') if isinstance(entry, dict) else entry)))
            continue
        for key in set(entry) - {"edition", "document", "default"}:
            add(display, line_of(entry, key), None, Problem(ErrorKind.rule_unknown_key, key=repr(key), place=Said(
                " in an instrument", "（依据文件中）"), known="edition, document, default"))
        edition = editions[str(entry["edition"])]
        instruments.append(edition)
        documents[edition.id] = str(entry.get("document") or edition.document)
        if entry.get("default") is not None:
            default = _marked(entry["default"], document=documents[edition.id])
            if isinstance(default, MarkedDict):
                default["edition"] = edition.id
            c = cite(default, display, "default")
            if c:
                defaults[edition.id] = c
    known_editions = {e.id for e in instruments}

    def citations(entry: MarkedDict, context: str) -> dict[str, Citation]:
        out: dict[str, Citation] = {}
        for key, value in entry.items():
            if key == "role":
                continue
            if key not in known_editions:
                add(display, line_of(entry, key), context, Problem(ErrorKind.rule_not_instrument, key=repr(key),
                                                                   known=names(sorted(known_editions), "")))
                continue
            if not isinstance(value, dict):
                add(display, line_of(entry, key), context, Problem(ErrorKind.rule_citation_shape))
                continue
            marked = _marked(value, document=documents[key])
            marked["edition"] = key
            c = cite(marked, display, context)
            if c:
                out[key] = c
        return out

    def role_code(value: Any, line: int, context: str | None) -> str | None:
        if str(value) not in roles_known:
            add(display, line, context, Problem(ErrorKind.rule_unknown_role, role=repr(value), known=", ".join(sorted(roles_known))))
            return None
        return str(value)

    roles: dict[str, dict[str, Citation]] = {}
    raw_roles = data.get("roles") or {}
    if isinstance(raw_roles, dict):
        for role, entry in raw_roles.items():
            code = role_code(role, line_of(raw_roles, role), None)
            if code and isinstance(entry, MarkedDict):
                roles[code] = citations(entry, code)
    rules: dict[str, tuple[tuple[str, Mapping[str, Citation]], ...]] = {}
    raw_rules = data.get("rules") or {}
    if isinstance(raw_rules, dict):
        for rid, items in raw_rules.items():
            line = line_of(raw_rules, rid)
            if rid not in rule_ids:
                add(display, line, str(rid), Problem(ErrorKind.rule_unknown_rule_id))
                continue
            if not isinstance(items, list) or not items:
                add(display, line, str(rid), Problem(ErrorKind.rule_roles_list))
                continue
            mapped = []
            for item in items:
                if isinstance(item, MarkedDict):
                    code = role_code(item.get("role"), line_of(item, "role"), str(rid))
                    if code:
                        mapped.append((code, citations(item, str(rid))))
                else:
                    code = role_code(item, getattr(items, "line", line), str(rid))
                    if code:
                        mapped.append((code, {}))
            rules[str(rid)] = tuple(mapped)
    stage_map: dict[str, tuple[str, ...]] = {}
    raw_stages = data.get("stages") or {}
    if isinstance(raw_stages, dict):
        for stage, items in raw_stages.items():
            line = line_of(raw_stages, stage)
            if stage not in stages:
                add(display, line, None, Problem(ErrorKind.rule_unknown_stage_name, stage=repr(stage)))
                continue
            codes = [role_code(x, line, None) for x in (items if isinstance(items, list) else [items])]
            stage_map[str(stage)] = tuple(c for c in codes if c)
    return AccountabilityMap(tuple(sorted(instruments, key=lambda e: e.start)), defaults, roles, rules, stage_map, documents,
                             before_first)


def _fraction(value: Any) -> Fraction | None:
    try:
        out = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return out if 0 <= out <= 1 else None


def load_review_thresholds(data: Any, display: str, cite: CiteFn, add: AddFn) -> tuple[ReviewThreshold, ...]:
    """rules/reviews.yaml, checked (file:line)."""
    if data is None:
        return ()
    entries = data.get("thresholds") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        add(display, line_of(data), None, Problem(ErrorKind.rule_reviews_shape))
        return ()
    allowed = {"id", "form", "measure", "above", "below", "title", "figure", "basis", "follow_up"}
    out: list[ReviewThreshold] = []
    seen: set[str] = set()
    for entry in entries:
        line = line_of(entry)
        if not isinstance(entry, MarkedDict) or not isinstance(entry.get("id"), str):
            add(display, line, None, Problem(ErrorKind.rule_threshold_shape))
            continue
        tid = entry["id"]
        if tid in seen:
            add(display, line, tid, Problem(ErrorKind.rule_duplicate_threshold))
        seen.add(tid)
        for key in set(entry) - allowed:
            add(display, line_of(entry, key), tid, Problem(ErrorKind.rule_unknown_key, key=repr(key), place="",
                                                           known=", ".join(sorted(allowed))))
        form = ReviewForm.lookup(entry.get("form"))
        if form is None:
            add(display, line_of(entry, "form"), tid, Problem(ErrorKind.rule_one_of, key=Said("form", "`form`"),
                                                               known=", ".join(ReviewForm.values())))
            continue
        measure = str(entry.get("measure"))
        if measure not in MEASURES[form]:
            add(display, line_of(entry, "measure"), tid, Problem(
                ErrorKind.rule_measure, measure=repr(measure), form=Said(form.value, form.zh), favourable=FAVOURABLE,
                known=", ".join(sorted(MEASURES[form]))))
            continue
        bounds = [b for b in ("above", "below") if b in entry]
        if len(bounds) != 1:
            add(display, line, tid, Problem(ErrorKind.rule_threshold_bound))
            continue
        value = _fraction(entry[bounds[0]])
        if value is None:
            add(display, line_of(entry, bounds[0]), tid, Problem(ErrorKind.rule_fraction,
                                                                  key=Said(f"{bounds[0]} ", f"`{bounds[0]}` ")))
            continue
        title, follow = _texts(entry.get("title")), _texts(entry.get("follow_up"))
        if title is None or follow is None:
            add(display, line, tid, Problem(ErrorKind.rule_threshold_texts))
            continue
        figure = entry.get("figure") if isinstance(entry.get("figure"), dict) else {}
        for key in set(figure) - {"kind", "confidence", "note", "read"}:
            add(display, line_of(figure, key), tid, Problem(ErrorKind.rule_unknown_key, key=repr(key), place=Said(
                " in figure", "（`figure` 中）"), known="confidence, kind, note, read"))
        kind = str(figure.get("kind", ""))
        if kind and kind not in FIGURE_KINDS:
            add(display, line_of(figure, "kind"), tid, Problem(ErrorKind.rule_one_of, key=Said("figure.kind", "`figure.kind`"),
                                                                known=", ".join(FIGURE_KINDS)))
            continue
        confidence = str(figure.get("confidence", "unverified" if kind == LOCAL else ""))
        if confidence not in CONFIDENCE:
            add(display, line_of(entry, "figure"), tid, Problem(ErrorKind.rule_one_of, key=Said(
                "figure.confidence", "`figure.confidence`"), known=", ".join(CONFIDENCE)))
            continue
        read = tuple(c for c in (cite(b, display, tid) for b in figure.get("read") or []) if c)
        if kind == LOCAL and not read:
            add(display, line_of(entry, "figure"), tid, Problem(ErrorKind.rule_local_figure_read))
            continue
        basis = tuple(c for c in (cite(b, display, tid) for b in entry.get("basis") or []) if c)
        if kind == INSTRUMENT and not any(c.verified for c in basis):
            add(display, line_of(figure, "kind"), tid, Problem(ErrorKind.rule_instrument_figure))
            continue
        out.append(ReviewThreshold(tid, form, measure, bounds[0], value, title, confidence, str(figure.get("note", "")),
                                   basis, follow, display, line, kind, read))
    return tuple(out)


def apply_threshold_profile(thresholds: tuple[ReviewThreshold, ...], data: Any, display: str,
                            add: AddFn) -> tuple[ReviewThreshold, ...]:
    """A profile's `review_thresholds:` (threshold id → fraction) set the figures the instruments leave
    open (kind local). A figure an instrument sets is not a local parameter; an unknown id or a value
    outside 0–1 is an error at the profile's file:line."""
    changes = data.get("review_thresholds") if isinstance(data, dict) else None
    if not changes:
        return thresholds
    if not isinstance(changes, dict):
        add(display, line_of(data, "review_thresholds"), None, Problem(ErrorKind.rule_thresholds_shape))
        return thresholds
    by_id = {t.id: t for t in thresholds}
    out = dict(by_id)
    profile = str(data.get("id", ""))
    for tid, value in changes.items():
        line = line_of(changes, tid)
        threshold = by_id.get(str(tid))
        if threshold is None:
            add(display, line, str(tid), Problem(ErrorKind.rule_unknown_threshold, known=names(sorted(by_id), "")))
            continue
        if not threshold.local:
            add(display, line, str(tid), Problem(ErrorKind.rule_threshold_not_local))
            continue
        fraction = _fraction(value)
        if fraction is None:
            add(display, line, str(tid), Problem(ErrorKind.rule_fraction, key=""))
            continue
        out[threshold.id] = replace(threshold, value=fraction, profile=profile)
    return tuple(out[t.id] for t in thresholds)


def _days(act_date: Any) -> tuple[date, date] | None:
    """The first and last day an act date may be (a date, or a finding's act date as text: a day, a
    month `YYYY-MM`, a range `first/last`)."""
    if isinstance(act_date, str):
        return act_days(act_date.strip())
    day = as_date(act_date)
    return (day, day) if day is not None else None
