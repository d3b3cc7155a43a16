"""Semantic mutants of a rule: small changes to its condition and its dated data.

Why: a rulebook is only as trustworthy as the scenarios that would notice it changing. Each mutant is
one plausible slip in a rule file — a boundary (`<` for `<=`), a negated test, a dropped conjunct, a
parameter off by one, an edition or start date a year off — and the specs should reject every one of
them. Mutants are built on the parsed rule (`Rule`, IR), never by rewriting files: `Mutant.apply`
returns the changed rule and editions, which the evaluator compiles like any other rule.

Kinds (the issue's list):
  flip      `<`↔`<=`, `>`↔`>=`, `==`↔`!=` on each comparison of `when`, `pending_when`, `escalate_when`
  drop      each conjunct of an `and` left out
  negate    each `exists` negated
  param     each int parameter ±1 and each bool parameter flipped, at its default and in each basis entry
            that sets it
  edition   each start and end of an edition the rule cites moved by a year (for this rule only)
  effective `effective.from` and `effective.to` moved by a year

A mutant is *equivalent by construction* when it provably cannot change any finding; `equivalence`
says why (see its docstring), and a rule file may record other equivalents the team has judged, with
the reason, under `mutation: {equivalent: {mutant id: reason}}`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Mapping

from cadre_rules.facts import REGISTER_SCHEMA, SCHEMA
from cadre_rules.facts.periods import anniversary, next_day
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.editions import citations_in_force
from cadre_rules.rulebook.model import Edition, Rule

FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
CONDITION_PARTS = ("when", "pending_when", "escalate_when")
ORDERING = {"<", "<=", ">", ">="}
NULL_FALSE = ORDERING | {"in", "not_in"}  # comparisons that a null operand makes false
Path = tuple[tuple[str, int | None], ...]  # (field, index in a tuple field or None) from a part's root


@dataclass(frozen=True)
class Mutant:
    """One change to one rule. `id` is stable while the rule's text is: it names the part and the
    column of the changed node (conditions) or the datum and the change (data)."""

    rule_id: str
    id: str
    kind: str  # flip | drop | negate | param | edition | effective
    description: str
    part: str | None = None  # when | pending_when | escalate_when (condition mutants)
    path: Path = ()
    original: Any = None  # the original condition node (condition mutants), to check a rule is the same
    replacement: Any = None
    name: str | None = None  # parameter / edition id / "from" | "to"
    source: str | None = None  # parameter: "default" or the basis edition that sets it; edition: "from" | "to"
    delta: Any = None

    @property
    def stage_of_change(self) -> str:
        return "condition" if self.kind in ("flip", "drop", "negate") else "data"

    def apply(self, rule: Rule, editions: Mapping[str, Edition]) -> tuple[Rule, Mapping[str, Edition]] | None:
        """The mutated rule and the editions it is judged by; None when `rule` is not the rule this mutant
        was made from (another rulebook's rule of the same id with a different condition or data)."""
        if self.kind == "edition":
            return self._apply_edition(rule, editions)
        if rule.id != self.rule_id:
            return None
        if self.part is not None:
            root = getattr(rule, self.part)
            if root != self.original:
                return None
            return dataclasses.replace(rule, **{self.part: _replace(root, self.path, self.replacement)}), editions
        if self.kind == "param":
            if self.name not in rule.parameters:
                return None
            if self.source == "default":
                p = rule.parameters[self.name]
                params = {**rule.parameters, self.name: dataclasses.replace(p, default=_shift(p.kind, p.default, self.delta))}
                return dataclasses.replace(rule, parameters=params), editions
            basis = []
            hit = False
            for c in rule.basis:
                if c.edition == self.source and self.name in c.params:
                    kind = rule.parameters[self.name].kind
                    c = dataclasses.replace(c, params={**c.params, self.name: _shift(kind, c.params[self.name], self.delta)})
                    hit = True
                basis.append(c)
            return (dataclasses.replace(rule, basis=tuple(basis)), editions) if hit else None
        if self.kind == "effective":
            if self.name == "from":
                return dataclasses.replace(rule, effective_from=_years(rule.effective_from, self.delta)), editions
            if rule.effective_to is None:
                return None
            return dataclasses.replace(rule, effective_to=_years(rule.effective_to, self.delta)), editions
        raise ValueError(f"unknown mutant kind {self.kind!r}")

    def _apply_edition(self, rule: Rule, editions: Mapping[str, Edition]) -> tuple[Rule, Mapping[str, Edition]] | None:
        """An edition moved for every rule that cites it; None for a rule that does not."""
        edition = editions.get(self.name or "")
        if edition is None or (self.source == "to" and edition.end is None) \
                or not any(c.edition == edition.id for c in rule.basis):
            return None
        key = "start" if self.source == "from" else "end"
        moved = dataclasses.replace(edition, **{key: _years(getattr(edition, key), self.delta)})
        return rule, {**editions, edition.id: moved}

    def diff(self, rule: Rule, editions: Mapping[str, Edition]) -> str:
        """The change as a diff: the condition before and after, or the datum before and after."""
        if self.part is not None:
            before = unparse(getattr(rule, self.part))
            after = unparse(_replace(getattr(rule, self.part), self.path, self.replacement))
            return f"- {self.part}: {before}\n+ {self.part}: {after}"
        applied = self.apply(rule, editions)
        if applied is None:
            return self.description
        new_rule, new_editions = applied
        if self.kind == "param":
            if self.source == "default":
                return (f"- parameters.{self.name}.default: {_yaml(rule.parameters[self.name].default)}\n"
                        f"+ parameters.{self.name}.default: {_yaml(new_rule.parameters[self.name].default)}")
            old = next(c for c in rule.basis if c.edition == self.source).params[self.name]
            new = next(c for c in new_rule.basis if c.edition == self.source).params[self.name]
            return f"- basis[{self.source}].params.{self.name}: {_yaml(old)}\n+ basis[{self.source}].params.{self.name}: {_yaml(new)}"
        if self.kind == "edition":
            key = "start" if self.source == "from" else "end"
            return (f"- editions[{self.name}].{self.source}: {getattr(editions[self.name or ''], key)}\n"
                    f"+ editions[{self.name}].{self.source}: {getattr(new_editions[self.name or ''], key)}")
        old_day = rule.effective_from if self.name == "from" else rule.effective_to
        new_day = new_rule.effective_from if self.name == "from" else new_rule.effective_to
        return f"- effective.{self.name}: {old_day}\n+ effective.{self.name}: {new_day}"


# --- generating --------------------------------------------------------------------------------------------


def generate(rule: Rule, editions: Mapping[str, Edition]) -> list[Mutant]:
    """Every mutant of `rule`, in a fixed order (condition parts in order, nodes parents first, then data)."""
    out: list[Mutant] = []
    for part in CONDITION_PARTS:
        root = getattr(rule, part)
        if root is not None:
            out += _condition_mutants(rule.id, part, root)
    for name, p in rule.parameters.items():
        sources = [("default", p.default)] + [(c.edition, c.params[name]) for c in rule.basis if name in c.params]
        for source, value in sources:
            for delta in _deltas(p.kind, value):
                where = "default" if source == "default" else f"basis {source}"
                label = _delta_label(p.kind, delta)
                out.append(Mutant(rule.id, f"param:{name}@{source}:{label}", "param",
                                  f"parameter {name} ({where}) {_yaml(value)} → {_yaml(_shift(p.kind, value, delta))}",
                                  name=name, source=source, delta=delta))
    for end in ("from", "to"):
        if end == "to" and rule.effective_to is None:
            continue
        for delta in (-1, 1):
            out.append(Mutant(rule.id, f"effective:{end}:{delta:+d}y", "effective",
                              f"effective.{end} moved by {delta:+d} year", name=end, delta=delta))
    return out


def generate_editions(editions: Mapping[str, Edition], rules: list[Rule] | tuple[Rule, ...]) -> list[Mutant]:
    """Each start and end of an edition some rule cites, moved by a year. An edition is rulebook data
    (editions.yaml), shared by the rules that cite it: its mutants change all of them at once and are
    judged by every scenario and example."""
    cited = {c.edition for r in rules for c in r.basis}
    out: list[Mutant] = []
    for edition_id, edition in editions.items():
        if edition_id not in cited:
            continue
        for end in ("from", "to"):
            if end == "to" and edition.end is None:
                continue
            for delta in (-1, 1):
                out.append(Mutant("", f"edition:{edition_id}:{end}:{delta:+d}y", "edition",
                                  f"edition {edition_id} {end} moved by {delta:+d} year", name=edition_id,
                                  source=end, delta=delta))
    return out


def _condition_mutants(rule_id: str, part: str, root: ir.Node) -> list[Mutant]:
    out: list[Mutant] = []
    for path, node in _nodes(root):
        if isinstance(node, ir.Compare) and node.op in FLIPS:
            new = dataclasses.replace(node, op=FLIPS[node.op])
            out.append(Mutant(rule_id, f"{part}@{node.col}:{node.op}:{new.op}", "flip",
                              f"{part}: {node.op} → {new.op} at column {node.col + 1}", part, path, root, new))
        elif isinstance(node, ir.BoolOp) and node.op == "and":
            for i in range(len(node.items)):
                rest = node.items[:i] + node.items[i + 1:]
                new = rest[0] if len(rest) == 1 else dataclasses.replace(node, items=rest)
                out.append(Mutant(rule_id, f"{part}@{node.col}:drop:{i + 1}", "drop",
                                  f"{part}: conjunct {i + 1} of the `and` at column {node.col + 1} left out",
                                  part, path, root, new))
        elif isinstance(node, ir.Exists):
            out.append(Mutant(rule_id, f"{part}@{node.col}:negate", "negate",
                              f"{part}: `exists {node.fact_type}` at column {node.col + 1} negated",
                              part, path, root, ir.Not(node, node.col)))
    return out


def _nodes(node: ir.Node, path: Path = ()) -> Iterator[tuple[Path, ir.Node]]:
    yield path, node
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    yield from _nodes(item, path + ((f.name, i),))
        elif dataclasses.is_dataclass(value):
            yield from _nodes(value, path + ((f.name, None),))


def _replace(node: ir.Node, path: Path, new: ir.Node) -> ir.Node:
    if not path:
        return new
    (name, index), rest = path[0], path[1:]
    value = getattr(node, name)
    if index is None:
        return dataclasses.replace(node, **{name: _replace(value, rest, new)})
    items = list(value)
    items[index] = _replace(items[index], rest, new)
    return dataclasses.replace(node, **{name: tuple(items)})


def _at(node: ir.Node, path: Path) -> ir.Node:
    for name, index in path:
        node = getattr(node, name) if index is None else getattr(node, name)[index]
    return node


def _deltas(kind: str, value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if kind == "int" or (kind == "num" and isinstance(value, int)):
        return (-1, 1)
    if kind == "num":
        return (-_last_digit(value), _last_digit(value))
    if kind == "bool":
        return ("not",)
    if kind == "date":
        return (-1, 1)  # a year
    return ()


def _last_digit(value: float) -> float:
    """One unit of the last written digit: 0.5 → 0.1, 0.667 → 0.001."""
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 10.0 ** -decimals


def _shift(kind: str, value: Any, delta: Any) -> Any:
    if value is None:
        return None
    if kind == "bool":
        return not value
    if kind == "date":
        return _years(value, delta)
    if kind == "num" and isinstance(delta, float):
        return round(value + delta, 12)
    return value + delta


def _delta_label(kind: str, delta: Any) -> str:
    if kind == "bool":
        return "not"
    if kind == "date":
        return f"{delta:+d}y"
    return f"{delta:+g}"


def _years(day: date | None, delta: int) -> date:
    """The same day `delta` years later (or earlier); 29 February falls on the 28th (facts.periods)."""
    assert day is not None
    return anniversary(day, delta)


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


# --- equivalence by construction ----------------------------------------------------------------------------


def equivalence(mutant: Mutant, rule: Rule, editions: Mapping[str, Edition]) -> str | None:
    """Why the mutant cannot change any finding, or None. Recognised:

    * data mutants (parameters, editions, effective dates) whose *dated behaviour* is unchanged: on every
      day, whether the rule applies, which citations are in force (edition, article) and the parameters
      they give are the same. Both are piecewise constant between edition and effective boundaries, so
      comparing them at every boundary of either version is a proof, not a sample;
    * a parameter the rule never reads (no `param.NAME` in its conditions or act date, no `{param.NAME}`
      in its messages);
    * a dropped null guard `F != null` (or `null != F`) next to an ordering or membership comparison of F
      (or of arithmetic on F), or its equality with a non-null literal — alone, inside a nested `and`, or
      in every disjunct of an `or` — in the same `and`: null never satisfies such a condition, so it is
      false whenever the guard is; and an Unknown F makes both Unknown, so the guard changes nothing when the
      comparison follows it directly or F's schema says it is never Unknown.
    """
    if mutant.kind == "param" and not _reads_parameter(rule, mutant.name or ""):
        return f"the rule never reads param.{mutant.name} (conditions, act date, messages)"
    if mutant.stage_of_change == "data":
        applied = mutant.apply(rule, editions)
        if applied is not None and _dated_behaviour(rule, editions) == _dated_behaviour(*applied) \
                and _act_date_params_same(rule, applied[0]):
            return ("same dated behaviour: on every day the rule applies or not alike, with the same citations "
                    "(edition, article) and parameters (compared at every edition and effective boundary)")
        return None
    if mutant.kind == "drop":
        return _null_guard(mutant, rule)
    return None


def _reads_parameter(rule: Rule, name: str) -> bool:
    for part in (*CONDITION_PARTS, "act_date"):
        root = getattr(rule, part)
        if root is not None and any(isinstance(n, ir.ParamRef) and n.name == name for n in ir.walk(root)):
            return True
    if any(isinstance(n, ir.ParamRef) and n.name == name for v in rule.message_variants for n in ir.walk(v.when)):
        return True
    texts = [t for texts in rule.message_texts() for t in texts.values()]
    return any(f"{{param.{name}}}" in t for t in texts)


def _act_date_params_same(rule: Rule, mutated: Rule) -> bool:
    """The act date is computed with the parameters' defaults: a changed default it reads is a change."""
    used = {n.name for n in ir.walk(rule.act_date) if isinstance(n, ir.ParamRef)}
    return all(rule.parameters[n].default == mutated.parameters[n].default for n in used if n in rule.parameters)


def _dated_behaviour(rule: Rule, editions: Mapping[str, Edition]) -> list[Any]:
    cited = [editions[c.edition] for c in rule.basis if c.edition in editions]
    days = {date(1, 1, 2), rule.effective_from}
    if rule.effective_to is not None and rule.effective_to < date.max:
        days.add(next_day(rule.effective_to))
    for e in cited:
        days.add(e.start)
        if e.end is not None and e.end < date.max:
            days.add(next_day(e.end))
    out = []
    for day in sorted(days):
        if not rule.applies_on(day):
            out.append((day, None))
            continue
        citations = citations_in_force(rule, dict(editions), day)
        if not citations:  # no instrument in force: the evaluator judges nothing that day
            out.append((day, None))
            continue
        params = {name: p.default for name, p in rule.parameters.items()}
        for c in reversed(citations):
            params.update(c.params)
        out.append((day, tuple((c.edition, c.article) for c in citations), tuple(sorted(params.items()))))
    return _runs(out)


def _runs(points: list[Any]) -> list[Any]:
    """Sample points → the behaviour as maximal runs (day where a run starts, behaviour), so that two
    versions sampled at different boundaries compare equal when they behave alike."""
    runs: list[Any] = []
    for point in points:
        if not runs or runs[-1][1:] != point[1:]:
            runs.append(point)
    return runs


def _null_guard(mutant: Mutant, rule: Rule) -> str | None:
    root = getattr(rule, mutant.part or "")
    conj = _at(root, mutant.path)
    index = int(mutant.id.rsplit(":", 1)[1]) - 1
    guard = conj.items[index]
    if not (isinstance(guard, ir.Compare) and guard.op == "!="):
        return None
    if isinstance(guard.right, ir.Literal) and guard.right.value is None:
        field = guard.left
    elif isinstance(guard.left, ir.Literal) and guard.left.value is None:
        field = guard.right
    else:
        return None
    types = _alias_types(rule, root, mutant.path)
    never_unknown = isinstance(field, ir.ParamRef) or (  # parameters are never Unknown
        isinstance(field, ir.FieldRef) and field.alias in types and not _schema(rule)[types[field.alias]][field.name].may_be_unknown)
    for j, other in enumerate(conj.items):
        if j == index or not _null_strict(other, field) or not (never_unknown or j == index + 1):
            continue
        why = "never Unknown by the schema" if never_unknown else "the comparison follows the guard directly"
        what = "the ordering comparison" if isinstance(other, ir.Compare) else "the condition"
        return (f"dropped null guard of {unparse(field)}: {what} `{unparse(other)}` in the same "
                f"`and` is false whenever it is null ({why})")
    return None


def _schema(rule: Rule) -> Mapping[str, Any]:
    """The fact types a rule's scope reads (a register rule's are the unit's, docs/register.md)."""
    return REGISTER_SCHEMA if rule.scope == "register" else SCHEMA


def _null_strict(node: ir.Node, field: ir.Node) -> bool:
    """Whether `node` is false whenever `field` is null: an ordering or membership comparison of the
    field (or of arithmetic on it), its equality with a non-null literal, an `and` with such a conjunct,
    or an `or` all of whose disjuncts are such (e.g. `(e.rank == 1 and e.age < 18) or (e.rank == 2 and …)`)."""
    if isinstance(node, ir.Compare):
        if node.op in NULL_FALSE:
            return _null_carrying(node.left, field) or _null_carrying(node.right, field)
        if node.op == "==":
            return any(_null_carrying(a, field) and isinstance(b, ir.Literal) and b.value is not None
                       for a, b in ((node.left, node.right), (node.right, node.left)))
        return False
    if isinstance(node, ir.BoolOp):
        test = any if node.op == "and" else all
        return test(_null_strict(item, field) for item in node.items)
    return False


def _null_carrying(node: ir.Node, field: ir.Node) -> bool:
    """Whether `node` is `field` or arithmetic on it (null in arithmetic gives null)."""
    if node == field:
        return True
    if isinstance(node, ir.Arith):
        return _null_carrying(node.left, field) or _null_carrying(node.right, field)
    if isinstance(node, ir.Neg):
        return _null_carrying(node.operand, field)
    return False


def _alias_types(rule: Rule, root: ir.Node, path: Path) -> dict[str, str]:
    """Fact type of each alias in scope at `path`: the rule's match and enclosing `exists`."""
    types = dict(rule.match)
    node = root
    for name, index in path:
        if isinstance(node, ir.Exists):
            types[node.alias] = node.fact_type
        node = getattr(node, name) if index is None else getattr(node, name)[index]
    return types


# --- the condition as text -------------------------------------------------------------------------------

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "exists": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}
_OPS = {"not_in": "not in"}


def unparse(node: ir.Node) -> str:
    """A condition written back in the rule language (parenthesised where the grammar needs it)."""
    return _text(node, 0)


def _text(node: ir.Node, outer: int) -> str:
    match node:
        case ir.Literal(value=value):
            if value is None:
                return "null"
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, date):
                return f'date("{value.isoformat()}")'
            if isinstance(value, str):
                return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return repr(value)
        case ir.FieldRef(alias=alias, name=name):
            return f"{alias}.{name}"
        case ir.ParamRef(name=name):
            return f"param.{name}"
        case ir.ListExpr(items=items):
            return "[" + ", ".join(_text(i, 0) for i in items) + "]"
        case ir.Call(name=name, args=args):
            return f"{name}(" + ", ".join(_text(a, 0) for a in args) + ")"
        case ir.Neg(operand=operand):
            return _wrap("-" + _text(operand, _PRECEDENCE["neg"]), _PRECEDENCE["neg"], outer)
        case ir.Arith(op=op, left=left, right=right):
            mine = _PRECEDENCE[op]
            return _wrap(f"{_text(left, mine)} {op} {_text(right, mine + 1)}", mine, outer)
        case ir.Compare(op=op, left=left, right=right):
            mine = _PRECEDENCE["compare"]
            return _wrap(f"{_text(left, mine + 1)} {_OPS.get(op, op)} {_text(right, mine + 1)}", mine, outer)
        case ir.Not(operand=operand):
            mine = _PRECEDENCE["not"]
            return _wrap(f"not {_text(operand, mine)}", mine, outer)
        case ir.BoolOp(op=op, items=items):
            mine = _PRECEDENCE[op]
            return _wrap(f" {op} ".join(_text(i, mine + 1) for i in items), mine, outer)
        case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
            # the body runs to the end of the enclosing parentheses: always parenthesise inside others
            text = f"exists {fact_type} as {alias} where {_text(cond, 0)}"
            return text if outer == 0 else f"({text})"
    raise TypeError(f"not a condition node: {node!r}")


def _wrap(text: str, mine: int, outer: int) -> str:
    return f"({text})" if mine < outer else text


__all__ = ["Mutant", "equivalence", "generate", "generate_editions", "unparse"]
