"""The stage graph of a selection case, loaded from rules/workflow.yaml and checked when loaded.

Checked: one start stage, every stage reachable from it, every stage able to reach a terminal
stage (no dead end), every transition between declared stages, every guard a known rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from cadre_rules.errors import ErrorKind, Problem, Said

from cadre_rules.reading.yamlmarks import MarkedDict, line_of


@dataclass(frozen=True)
class StageGraph:
    graph: nx.DiGraph
    start: str
    terminal: frozenset[str]
    titles: dict[str, dict[str, str]]

    @property
    def order(self) -> dict[str, int]:
        """Stage → position, in the order the stages were declared (used to sort findings)."""
        return {s: i for i, s in enumerate(self.titles)}

    def guards(self, source: str, target: str) -> list[str]:
        return list(self.graph.edges[source, target].get("guards", ()))

    def to_dict(self) -> dict[str, Any]:
        """The graph as plain data (`cadre-rules workflow --format json`, the service's GET /v1/workflow)."""
        return {"start": self.start, "terminal": sorted(self.terminal), "stages": self.titles,
                "transitions": [{"from": a, "to": b, "event": d.get("event", ""), "guards": list(d.get("guards", ()))}
                                for a, b, d in self.graph.edges(data=True)]}

    def to_mermaid(self) -> str:
        lines = ["stateDiagram-v2", f"    [*] --> {self.start}"]
        for stage, title in self.titles.items():
            lines.append(f'    {stage} : {title["zh"]} {title["en"]}')
        for a, b, data in self.graph.edges(data=True):
            label = data.get("event", "")
            lines.append(f"    {a} --> {b}" + (f" : {label}" if label else ""))
        for stage in sorted(self.terminal):
            lines.append(f"    {stage} --> [*]")
        return "\n".join(lines) + "\n"


def _names(value: Any) -> list[Any]:
    """A list of names as written: a list, one name alone, or none.

    Why: the stage names, guards and terminal stages of a user's workflow.yaml are looked up in sets,
    and a mapping or list written where a name belongs (`guards: [{from: x}]`, `start: [a]`) raised
    TypeError (unhashable): `rules check` stopped with an internal error, or said only "malformed
    file" (found by fuzzing rulebooks). Callers now report each such value as the name it is not,
    with its line."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def build_stage_graph(data: Any, display: str, add_error) -> StageGraph | None:
    """Build and check the graph; report problems through add_error(file, line, None, message)."""
    if not isinstance(data, MarkedDict):
        add_error(display, 0, None, Problem(ErrorKind.rule_workflow_shape))
        return None
    titles: dict[str, dict[str, str]] = {}
    for entry in data.get("stages") or []:
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("zh") or not entry.get("en"):
            add_error(display, line_of(entry), None, Problem(ErrorKind.rule_stage_entry))
            continue
        titles[str(entry["id"])] = {"zh": str(entry["zh"]), "en": str(entry["en"])}
    graph = nx.DiGraph()
    graph.add_nodes_from(titles)
    ok = True
    for t in data.get("transitions") or []:
        src, dst = (t.get("from"), t.get("to")) if isinstance(t, dict) else (None, None)
        if not isinstance(src, str) or not isinstance(dst, str) or src not in titles or dst not in titles:
            add_error(display, line_of(t), None, Problem(ErrorKind.rule_transition_stage, source=repr(src), target=repr(dst)))
            ok = False
            continue
        guards = tuple(g if isinstance(g, str) else repr(g) for g in _names(t.get("guards")))
        graph.add_edge(src, dst, event=str(t.get("event", "")), guards=guards, line=line_of(t))
    start = data.get("start")
    terminal = _names(data.get("terminal"))
    for stage in (s for s in terminal if not isinstance(s, str)):
        add_error(display, line_of(data, "terminal"), None, Problem(ErrorKind.rule_stage_undeclared,
                                                                    which=Said("terminal", "终止"), stage=repr(stage)))
        ok = False
    terminal = frozenset(s for s in terminal if isinstance(s, str))
    if not isinstance(start, str) or start not in titles:
        add_error(display, line_of(data, "start"), None, Problem(ErrorKind.rule_stage_undeclared, which=Said("start", "起始"),
                                                                 stage=repr(start)))
        return None
    for stage in terminal - set(titles):
        add_error(display, line_of(data, "terminal"), None, Problem(ErrorKind.rule_stage_undeclared,
                                                                    which=Said("terminal", "终止"), stage=repr(stage)))
        ok = False
    reachable = nx.descendants(graph, start) | {start}
    for stage in titles:
        if stage not in reachable:
            add_error(display, line_of(data, "stages"), None, Problem(ErrorKind.rule_stage_unreachable, stage=repr(stage),
                                                                      start=repr(start)))
            ok = False
        elif stage not in terminal and not (nx.descendants(graph, stage) & terminal):
            add_error(display, line_of(data, "stages"), None, Problem(ErrorKind.rule_stage_dead_end, stage=repr(stage)))
            ok = False
    return StageGraph(graph, start, terminal, titles) if ok else None
