"""Family ties as a graph, and the question the recusal rules ask of it.

The recusal scope (回避范围) is: spouse, lineal relatives by blood, collateral relatives within
three generations, and close in-laws. Ties are declared in the case; a close in-law tie that goes
through a spouse (the spouse's parents or siblings) is derived here so that it need not be declared.
"""
from __future__ import annotations

from typing import Iterable

from cadre_rules.model import Case, Kinship

BLOOD_IN_SCOPE = {
    Kinship.parent, Kinship.child, Kinship.grandparent, Kinship.grandchild,
    Kinship.sibling, Kinship.uncle_aunt, Kinship.nephew_niece, Kinship.cousin,
}
IN_SCOPE = BLOOD_IN_SCOPE | {Kinship.spouse, Kinship.parent_in_law, Kinship.child_in_law, Kinship.sibling_in_law}
# Blood ties that make a spouse's relative a close in-law (配偶的父母、兄弟姐妹; 子女的配偶).
_THROUGH_SPOUSE = {Kinship.parent, Kinship.sibling, Kinship.child}

# person -> relative -> kinds of the ties between them; undirected (each tie is under both people).
# Plain dicts rather than a networkx graph: building one per case and asking it about every member of
# every meeting item was a visible share of deriving a case's facts, and only neighbours are needed.
KinshipGraph = dict[str, dict[str, set[Kinship]]]
_NO_KINDS: frozenset[Kinship] = frozenset()


def kinship_graph(case: Case) -> KinshipGraph:
    graph: KinshipGraph = {}
    for rel in case.relations:
        graph.setdefault(rel.person, {}).setdefault(rel.relative, set()).add(rel.kind)
        graph.setdefault(rel.relative, {}).setdefault(rel.person, set()).add(rel.kind)
    return graph


def within_recusal_scope(graph: KinshipGraph, a: str, b: str) -> bool:
    """True when a and b are the same person or relatives within the statutory recusal scope."""
    if a == b:
        return True
    if a not in graph or b not in graph:
        return False
    if graph[a].get(b, _NO_KINDS) & IN_SCOPE:
        return True
    for x, y in ((a, b), (b, a)):
        for spouse, kinds in graph[x].items():
            if Kinship.spouse in kinds and graph[spouse].get(y, _NO_KINDS) & _THROUGH_SPOUSE:
                return True
    return False


def within_scope_of(graph: KinshipGraph, people: Iterable[str], person: str) -> list[str]:
    """Those of `people` (in their order) within the recusal scope of `person`. Most cases declare no
    ties at all, and then that is only the person themself."""
    if not graph:
        return [x for x in people if x == person]
    return [x for x in people if within_recusal_scope(graph, x, person)]
