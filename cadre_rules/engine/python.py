"""The default evaluator: rule IR compiled to Python functions (engine/codegen.py), stateless per case.

Three-valued logic (Kleene): a value that the facts layer could not derive (`Unknown`) makes a
comparison unknown; `and`/`or`/`not` combine unknowns the usual way, so `false and unknown` is
false and `true or unknown` is true. A rule whose condition ends unknown gives an `unknown`
finding with the reason; it is never guessed to hold or not.

Missing values (null) never satisfy an ordering comparison; rules test presence with `== null`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from itertools import product
from typing import Any, Mapping

from cadre_rules.codes import Code, Role
from cadre_rules.facts import REGISTER_SCHEMA, SCHEMA, Fact, FactSet, Unknown
from cadre_rules.facts.values import MonthFacts
from cadre_rules.facts.periods import next_day
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.editions import citations_in_force
from cadre_rules.rulebook.model import Citation, Edition, LoadError, Rule, RulebookError
from cadre_rules.rulebook.typecheck import free_aliases
from cadre_rules.engine.codegen import Env, Judgement, Periods, compile_judge, compile_matcher, compile_node
from cadre_rules.engine.findings import Finding, RenderLater

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")


def _code_fields() -> dict[tuple[str, str], type[Code]]:
    """(fact type, field) → the code list of every field holding a code or a list of codes (never names or
    ids): these are shown by their name in the message's language (cadre_rules/codes.py), never as codes.
    The register's cross-case facts (REGISTER_SCHEMA) too."""
    return {(fact_type, name): ft.codes for fact_type, fields in {**SCHEMA, **REGISTER_SCHEMA}.items()
            for name, ft in fields.items() if ft.codes is not None and ft.kind in ("str", "list")}


_CODE_FIELDS = _code_fields()


def _show(value: Any, lang: str, codes: type[Code] | None = None) -> str:
    if codes is not None and isinstance(value, str):
        member = codes.lookup(value)
        if member is not None:
            return member.label(lang)
    if isinstance(value, Unknown):  # a date known to the month shows the month (`2009-05`), a count its range (`1–2`)
        if value.days is None:
            return "?"
        return act_label(value) if isinstance(value.days[0], date) else f"{value.days[0]}–{value.days[1]}"
    if value is None:
        return "—" if lang == "zh" else "none"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(_show(v, lang, codes) for v in value) or ("无" if lang == "zh" else "none")
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def person_label(person: Mapping[str, Any], lang: str) -> str:
    """How a message names a person of the case: the id, the name and the post beside it —
    "c1 张三（县财政局副局长）", "m01 李四（主要负责人（书记））" — so that a reader knows whom a finding
    is about without the case file. Redaction (report/redact.py) turns "c1 张三" back into "c1"."""
    roles = [Role.lookup(r) for r in person.get("roles") or ()]
    # a role's name without its gloss in English ("member (no other role)" → "member")
    posts = [person["post"]] if person.get("post") else [r.zh if lang == "zh" else r.en.split(" (")[0]
                                                         for r in roles if r is not None]
    label = f"{person['person']} {person['name']}"
    if not posts:
        return label
    return f"{label}（{'、'.join(posts)}）" if lang == "zh" else f"{label} ({', '.join(posts)})"


def people_of(facts: FactSet) -> dict[str, Mapping[str, Any]]:
    """The case's people by id (the `person` facts). An id held by two people (never in a validated case)
    names nobody, so that the message does not depend on the order of the facts."""
    people: dict[str, Mapping[str, Any]] = {}
    twice: set[str] = set()
    try:
        pool = facts["person"]  # derived here, on first need, from a PeopleOnDemand fact set
    except KeyError:
        pool = ()
    for p in pool:
        if p["person"] in people:
            twice.add(p["person"])
        people[p["person"]] = p
    for pid in twice:
        del people[pid]
    return people


def _show_people(value: Any, lang: str, people: Mapping[str, Mapping[str, Any]]) -> str | None:
    """A person id, or a list of them, named by `person_label`; None when `value` is not that."""
    if isinstance(value, str) and value in people:
        return person_label(people[value], lang)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) and v in people for v in value):
        return ("、" if lang == "zh" else "; ").join(person_label(people[v], lang) for v in value)
    return None


def render(template: str, env: Env, params: Mapping[str, Any], lang: str, types: Mapping[str, str] | None = None,
           people: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The message template with every {alias.field} and {param.name} filled in; `types` (alias → fact
    type) tells which fields hold codes, shown by their name in the message's language; a field holding
    the id of a person of the case (`people`, by id) shows the id with the person's name and post."""
    types = types or {}

    def sub(m: re.Match[str]) -> str:
        alias, name = m.group(1), m.group(2)
        if alias == "param":
            return _show(params.get(name), lang)
        value = env[alias].get(name)
        codes = _CODE_FIELDS.get((types.get(alias, ""), name))
        if people and codes is None and name not in ("id", "path"):
            named = _show_people(value, lang, people)
            if named is not None:
                return named
        return _show(value, lang, codes)
    return _PLACEHOLDER.sub(sub, template)


def _early_filters(when: ir.Node, aliases: list[str]) -> list[list[ir.Node]]:
    """Top-level conjuncts of `when` that read no parameter, grouped by the binding depth after
    which all the aliases they read are bound. Evaluating them early never changes a verdict: a
    conjunct that is false makes the whole condition false."""
    conjuncts = list(when.items) if isinstance(when, ir.BoolOp) and when.op == "and" else [when]
    levels: list[list[ir.Node]] = [[] for _ in aliases]
    for conjunct in conjuncts:
        if any(isinstance(n, ir.ParamRef) for n in ir.walk(conjunct)):
            continue
        used = free_aliases(conjunct)
        if not used <= set(aliases):
            continue
        level = max((aliases.index(a) for a in used), default=0)
        levels[level].append(conjunct)
    return levels


class CompiledRule:
    """One rule ready to run: generated functions for matching, act date, condition and pending condition."""

    def __init__(self, rule: Rule, editions: Mapping[str, Edition], lenient: bool = False) -> None:
        """`lenient`: compiled for facts in which any field may be Unknown (acts dated to the month)."""
        self.rule = rule
        self.editions = editions
        types = self.types = dict(rule.match)
        self.act_date = compile_node(rule.act_date, f"{rule.id} act_date", types, lenient)
        self.pending_when = (compile_node(rule.pending_when, f"{rule.id} pending_when", types, lenient)
                             if rule.pending_when is not None else None)
        self.escalate_when = (compile_node(rule.escalate_when, f"{rule.id} escalate_when", types, lenient)
                              if rule.escalate_when is not None else None)
        self.variants = [(compile_node(v.when, f"{rule.id} message_variants[{n}]", types, lenient), v.message)
                         for n, v in enumerate(rule.message_variants)]
        self.when = compile_node(rule.when, f"{rule.id} when", types, True) if lenient else None
        self.defaults = {name: p.default for name, p in rule.parameters.items()}
        self.aliases = [alias for alias, _ in rule.match]
        self._periods, self._in_force_by_period = self._edition_periods()
        self._cited_by_period: dict[int, tuple[list[Citation], dict[str, str], list[dict[str, Any]]]] = {}
        periods = Periods(rule.effective_from, rule.effective_to, self._periods, self._in_force_by_period)
        judgement = Judgement(rule.act_date, rule.when, self.defaults, rule.applies_on, self._in_force, self._found,
                              self._over_days, periods)
        self.match = compile_matcher(rule.match, _early_filters(rule.when, self.aliases), judgement, f"{rule.id} match",
                                     lenient)
        # judge_binding(env, facts, out): one complete binding judged by the same generated code as `match`
        # (the durable backend calls it for every engine match, so both evaluators judge alike).
        self.judge_binding = compile_judge(rule.match, judgement, f"{rule.id} judge", lenient)

    def _edition_periods(self) -> tuple[list[date], list[tuple[list[Citation], dict[str, Any]]]]:
        """The rule's citations in force change only where one of its editions starts or ends: the days
        of change, and for each period between them the citations and the parameters they give."""
        editions = [self.editions[c.edition] for c in self.rule.basis]
        changes = sorted({e.start for e in editions} | {next_day(e.end) for e in editions if e.end})
        table = []
        for first_day in [date.min, *changes]:
            citations = citations_in_force(self.rule, self.editions, first_day)
            params = dict(self.defaults)
            for citation in reversed(citations):  # the primary citation's values win
                params.update(citation.params)
            table.append((citations, params))
        return changes, table

    def _in_force(self, act: date) -> tuple[list[Citation], dict[str, Any]]:
        """Citations in force on the act's date and the parameters they give."""
        return self._in_force_by_period[bisect_right(self._periods, act)]

    def _over_days(self, env: Env, facts: FactSet, act: Unknown, out: list[Finding]) -> None:
        """A binding whose act is dated to a range of days (an act dated to the month): judged by the
        edition in force on every day of the range; `unknown` when the rule or an edition starts or ends
        inside it and the condition holds (or cannot be decided) under any of those in force."""
        first, last = act.days  # type: ignore[misc]
        rule = self.rule
        if rule.effective_from > last or (rule.effective_to is not None and rule.effective_to < first):
            return  # the rule applies on no day of the range: out of scope
        # the days whose editions are tried: the range's ends where the rule applies, and the first day it
        # applies on when that is inside the range (a rule in force only for days of the month: its ends
        # alone would miss it)
        applies = [day for day in (first, last) if rule.applies_on(day)]
        tried = sorted({*applies, max(first, rule.effective_from)})
        in_force = list({id(x): x for x in map(self._in_force, tried) if x[0]}.values())
        if not in_force:
            return  # no edition governs it on those days: out of scope
        assert self.when is not None
        if len(applies) == 2 and self._in_force(first) is self._in_force(last):
            verdict = self.when(env, in_force[0][1], facts)
            if verdict is not False and verdict is not None:
                self._found(env, facts, act, in_force[0], verdict, out)
            return
        verdicts = [self.when(env, x[1], facts) for x in in_force]
        if all(v is False or v is None for v in verdicts):
            return
        changes = [day for day in self._periods if first < day <= last]
        if first < rule.effective_from <= last:
            changes.append(rule.effective_from)
        if rule.effective_to is not None and first <= rule.effective_to < last:
            changes.append(next_day(rule.effective_to))
        when = "、".join(sorted({d.isoformat() for d in changes}))
        span = act_label(act)
        self._found(env, facts, act, in_force[-1], Unknown(
            f"{act.reason.split(';')[0]}; the rule or the edition in force changes within {span} (on {when})",
            f"{(act.reason_zh or act.reason).split('，')[0]}，{span} 之内规则或适用的版本有变化（{when}）", act.days), out)

    def evaluate(self, facts: FactSet) -> list[Finding]:
        out: list[Finding] = []
        self.match(facts, out)
        return out

    def _found(self, env: Env, facts: FactSet, act: "date | Unknown", in_force: tuple[list[Citation], dict[str, Any]],
               verdict: Any, out: list[Finding]) -> None:
        """A binding whose condition held (or could not be decided) on `act`: pending or violated, and
        the finding with its message, citation and escalated severity."""
        citations, params = in_force
        unknown = None
        if isinstance(verdict, Unknown):
            status, unknown = "unknown", verdict
        else:
            status = "violated"
            if self.pending_when is not None:
                pending = self.pending_when(env, params, facts)
                if isinstance(pending, Unknown):
                    status, unknown = "unknown", pending
                elif pending:
                    status = "pending"
        combo = tuple(env[alias] for alias in self.aliases)
        templates = self.rule.message
        if status == "pending" and self.rule.pending_message:
            templates = self.rule.pending_message
        elif status == "violated":
            templates = next((text for when, text in self.variants if when(env, params, facts) is True), templates)
        finding = self._finding(status, unknown, env, params, citations, act, combo, None, templates, facts)
        if self.escalate_when is not None and self.escalate_when(env, params, facts) is True:
            finding = replace(finding, severity=self.rule.escalate_to)
        out.append(finding)

    def _finding(self, status: str, unknown: Unknown | None, env: Env, params: Mapping[str, Any],
                 citations: list[Citation], act: "date | Unknown", combo: tuple[Fact, ...],
                 people: Mapping[str, Mapping[str, Any]] | None = None,
                 templates: Mapping[str, str] | None = None, facts: FactSet | None = None) -> Finding:
        """The finding; its message is rendered when first read, naming people from `people` (or from the
        person facts of `facts`, derived then)."""
        rule, citation = self.rule, citations[0]
        if status == "unknown" and unknown is not None:
            # Never state a shortfall that could not be established: say what could not be judged and why.
            message = {"zh": f"无法判断「{rule.title['zh']}」：{unknown.reason_zh or unknown.reason}",
                       "en": f"Cannot evaluate “{rule.title['en']}”: {unknown.reason}"}
        else:
            templates = templates or rule.message
            types = self.types

            def message_in(lang: str) -> str:
                named = people if people is not None or facts is None else people_of(facts)
                return render(templates[lang], env, params, lang, types, named)

            message = RenderLater(message_in)  # rendered when first read (Finding.message)
        labels, also_cited = self._cited(citations)
        return Finding(
            rule_id=rule.id, verdict=status, severity=rule.severity, stage=rule.stage, edition=citation.edition,
            article=citation.article, article_verified=citation.verified, confidence=citation.confidence,
            citation=dict(labels), title=dict(rule.title),
            message=message, evidence=[f["id"] for f in combo], paths=[f["path"] for f in combo],
            act_date=act_label(act), reason=unknown.reason if unknown else None,
            also_cited=[{**c, "citation": dict(c["citation"])} for c in also_cited],  # copies: a finding's own
        )

    def _cited(self, citations: list[Citation]) -> tuple[dict[str, str], list[dict[str, Any]]]:
        """The citation texts of the citations in force in one period of the rule's editions, worked out
        once per period (the labels are formatted with regular expressions), not for every finding."""
        hit = self._cited_by_period.get(id(citations))
        if hit is None or hit[0] is not citations:
            if len(self._cited_by_period) > 64:  # only the periods' own lists come here: a few per rule
                self._cited_by_period.clear()
            first = citations[0]
            hit = self._cited_by_period[id(citations)] = (citations, {"zh": first.label("zh"), "en": first.label("en")}, [
                {"edition": c.edition, "article": c.article, "article_verified": c.verified,
                 "confidence": c.confidence, "citation": {"zh": c.label("zh"), "en": c.label("en")}}
                for c in citations[1:]])
        return hit[1], hit[2]


def act_label(act: "date | Unknown") -> str:
    """An act's date as findings give it: ISO; a month (`2009-05`) or a range (`first/last`) of days."""
    if isinstance(act, Unknown):
        first, last = act.days  # type: ignore[misc]
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.year:04d}-{first.month:02d}"
        return f"{first.isoformat()}/{last.isoformat()}"
    return act.isoformat()


def compile_rules(rules: list[Rule], editions: Mapping[str, Edition], lenient: bool = False) -> list[CompiledRule]:
    """Every rule compiled to Python, or RulebookError naming each rule whose generated code Python
    refuses (file:line: RULE-ID: message). `rules check` calls this too, so a rulebook that passes the
    check compiles exactly as an audit compiles it."""
    compiled: list[CompiledRule] = []
    errors: list[LoadError] = []
    for rule in rules:
        try:
            compiled.append(CompiledRule(rule, editions, lenient))
        except (SyntaxError, RecursionError, MemoryError, ValueError, TypeError) as exc:
            errors.append(LoadError(rule.file, rule.line, rule.id, f"cannot compile: {type(exc).__name__}: {exc}"))
    if errors:
        raise RulebookError(errors)
    return compiled


class PythonEvaluator:
    """The default engine: compiles every rule once; evaluates one case's facts at a time."""

    name = "python"

    def __init__(self, rules: list[Rule], editions: Mapping[str, Edition], stage_order: Mapping[str, int]) -> None:
        self.compiled = compile_rules(rules, editions)
        self.stage_order = dict(stage_order)
        self._matchers = [(c.rule.id, c.match) for c in self.compiled]
        self._rules, self._editions = list(rules), editions
        self._lenient: list[CompiledRule] | None = None

    def lenient_rules(self) -> list[CompiledRule]:
        """The rules compiled for facts in which any field may be Unknown (facts/months.py), on first need."""
        if self._lenient is None:
            self._lenient = compile_rules(self._rules, self._editions, lenient=True)
        return self._lenient

    def lenient_matchers(self) -> list[tuple[str, Any]]:
        return [(c.rule.id, c.match) for c in self.lenient_rules()]

    def out_of_scope(self, facts: FactSet, earliest: date) -> list[dict[str, Any]]:
        """Acts dated before the earliest edition: reported, never judged (no text governed them here)."""
        people = ("candidate", "sanction")  # birth and sanction dates are not acts of the procedure
        if not any((isinstance(v, date) and v < earliest)
                   or (type(v) is Unknown and v.days and isinstance(v.days[0], date) and v.days[0] < earliest)
                   for kind, fs in facts.items() if kind not in people for f in fs for v in f.values()):
            return []
        compiled_rules = self.lenient_rules() if isinstance(facts, MonthFacts) else self.compiled
        acts: dict[tuple[str, date], set[str]] = {}
        for compiled in compiled_rules:
            pools = [facts.get(fact_type, []) for _, fact_type in compiled.rule.match]
            for combo in product(*pools):
                env = dict(zip(compiled.aliases, combo))
                act = compiled.act_date(env, compiled.defaults, facts)
                if type(act) is Unknown and act.days is not None and act.days[1] < earliest:
                    # the whole range before the earliest edition: listed by its month
                    acts.setdefault((combo[0]["path"], act.days[0], act_label(act)), set()).add(compiled.rule.id)
                elif isinstance(act, date) and act < earliest:
                    acts.setdefault((combo[0]["path"], act, act.isoformat()), set()).add(compiled.rule.id)
        return [{"path": path or "(case)", "act_date": label, "rules": sorted(rules)}
                for (path, _, label), rules in sorted(acts.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))]

    def evaluate(self, facts: FactSet, only: set[str] | None = None) -> list[Finding]:
        findings: list[Finding] = []
        for rule_id, match in (self.lenient_matchers() if isinstance(facts, MonthFacts) else self._matchers):
            if only is None or rule_id in only:
                match(facts, findings)
        if len(findings) > 1:
            findings.sort(key=lambda f: f.sort_key(self.stage_order))
        return findings
