"""The plain-dict kinship graph answers the recusal question as the networkx MultiGraph it replaced did."""
import random

import networkx as nx

from cadre_rules.facts.kinship import _THROUGH_SPOUSE, IN_SCOPE, kinship_graph, within_recusal_scope, within_scope_of
from cadre_rules.model import Kinship


def _reference_within(graph: nx.MultiGraph, a: str, b: str) -> bool:
    def kinds(x: str, y: str) -> set:
        return {d["kind"] for d in graph.get_edge_data(x, y).values()} if graph.has_edge(x, y) else set()

    if a == b:
        return True
    if a not in graph or b not in graph:
        return False
    if kinds(a, b) & IN_SCOPE:
        return True
    return any(Kinship.spouse in kinds(x, s) and kinds(s, y) & _THROUGH_SPOUSE
               for x, y in ((a, b), (b, a)) for s in graph.neighbors(x))


class _Rel:
    def __init__(self, person: str, relative: str, kind: Kinship) -> None:
        self.person, self.relative, self.kind = person, relative, kind


class _Case:
    def __init__(self, relations: list[_Rel]) -> None:
        self.relations = relations


def test_recusal_scope_matches_the_networkx_reference():
    rng = random.Random(5)
    people = [f"p{i}" for i in range(7)]
    kinds = list(Kinship)
    for _ in range(400):
        rels = [_Rel(rng.choice(people), rng.choice(people), rng.choice(kinds)) for _ in range(rng.randint(0, 9))]
        reference = nx.MultiGraph()
        for r in rels:
            reference.add_edge(r.person, r.relative, kind=r.kind)
        graph = kinship_graph(_Case(rels))  # type: ignore[arg-type]
        for a in people + ["nobody"]:
            for b in people + ["nobody"]:
                assert within_recusal_scope(graph, a, b) == _reference_within(reference, a, b), (rels, a, b)


def test_within_scope_of_keeps_order_and_uses_the_graph():
    rels = [_Rel("m1", "c1", Kinship.spouse), _Rel("m2", "c1", Kinship.other)]
    graph = kinship_graph(_Case(rels))  # type: ignore[arg-type]
    people = ["m2", "c1", "m1", "m3"]
    assert within_scope_of(graph, people, "c1") == ["c1", "m1"]
    assert within_scope_of({}, people, "c1") == ["c1"]  # no ties declared: only the person themself
    assert within_scope_of(graph, people, "c1") == [x for x in people if within_recusal_scope(graph, x, "c1")]
