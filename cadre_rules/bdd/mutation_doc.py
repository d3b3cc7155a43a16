"""The mutation page's generated part: the last whole run and its open gaps, rewritten from a report.

Why: docs/mutation.md states the last whole-rulebook run (counts per stage and kind) and lists every
surviving mutant under "Open gaps"; tests/bdd/test_mutation.py compares that list with a fresh run. When
other work adds rules, `cadre-rules rules mutate --write-doc docs/mutation.md` rewrites that part from
the run it just made, so the page and the test never need a hand edit. Everything before the marker
line (the page's prose) and after the Open gaps section is kept as it is.
"""
from __future__ import annotations

from collections import Counter

from cadre_rules.bdd.mutation import EDITIONS, MutationReport
from cadre_rules.errors import MutationDocError

MARKER = "<!-- last run: generated below -->"
GAPS = "## Open gaps"


def last_run_markdown(report: MutationReport) -> str:
    """The summary of a whole run: counts, one row per stage and per kind of mutant."""
    s = report.summary()
    rb = report.rulebook
    lines = [f"Rulebook version `{rb.version}` (profile {rb.profile}), features `{(report.features or '').rstrip('/')}/`, "
             f"examples `{report.examples}`; {s['seconds']} s.", "",
             f"**{s['mutants']} mutants: {s['killed']} killed, {s['survived']} survived, {s['equivalent']} equivalent "
             f"— {s['killed_percent']} % of the non-equivalent mutants killed.**", "",
             "| Stage | Rules | Mutants | Killed | Survived | Equivalent | Killed % |", "|---|---|---|---|---|---|---|"]
    for stage, c in s["by_stage"].items():
        lines.append(f"| {stage} | {c['rules']} | {c['mutants']} | {c['killed']} | {c['survived']} | "
                     f"{c['equivalent']} | {c['killed_percent']} |")
    lines += ["", "| Kind | Killed | Survived | Equivalent |", "|---|---|---|---|"]
    for kind, c in s["by_kind"].items():
        lines.append(f"| {kind} | {c['killed']} | {c['survived']} | {c['equivalent']} |")
    how = Counter((r.equivalent or "").split(":", 1)[0] for r in report.all_results() if r.status == "equivalent")
    lines += ["", f"Of the equivalents, {how['by construction']} are recognised by construction and {how['recorded']} "
                  "are recorded in rule files (`mutation: {equivalent: …}`, each with its reason)."]
    return "\n".join(lines)


def open_gaps_markdown(report: MutationReport) -> str:
    """The "Open gaps" section: every survivor as `- \\`RULE\\` \\`mutant-id\\`` (the test reads these lines)."""
    survivors = [(rule.rule_id, r.mutant.id) for rule in report.rules for r in rule.results if r.status == "survived"]
    lines = [GAPS, "", "The surviving mutants of the last run (`RULE` `mutant-id`); `tests/bdd/test_mutation.py` checks this "
             "list against a fresh run, so it can only shrink by adding scenarios (or by recording a judged equivalent).", ""]
    if not survivors:
        lines.append("None: every mutant that is not equivalent is killed by its rule's scenarios or an example.")
    lines += [f"- `{rule}` `{mutant}`" for rule, mutant in survivors]
    return "\n".join(lines)


def rewrite_doc(text: str, report: MutationReport) -> str:
    """`text` (the page) with the part from the marker line to the end of the Open gaps section replaced."""
    if report.sample is not None or not any(r.rule_id == EDITIONS for r in report.rules):
        raise MutationDocError("the page states a whole run: run without --rule and --sample")
    if MARKER not in text:
        raise MutationDocError(f"no line {MARKER!r} marks where the generated part starts")
    head, rest = text.split(MARKER, 1)
    tail = ""
    if GAPS in rest:
        after = rest.split(GAPS, 1)[1]
        if "\n## " in after:
            tail = "\n## " + after.split("\n## ", 1)[1]
    return f"{head}{MARKER}\n\n{last_run_markdown(report)}\n\n{open_gaps_markdown(report)}\n{tail}"


__all__ = ["MARKER", "MutationDocError", "last_run_markdown", "open_gaps_markdown", "rewrite_doc"]
