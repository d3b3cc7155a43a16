"""Family ties as a graph, and the question the recusal rules ask of it.

The recusal scope (回避范围) is: spouse, lineal relatives by blood, collateral relatives within
three generations, and close in-laws. Ties are declared in the case; a close in-law tie that goes
through a spouse (the spouse's parents or siblings) is derived here so that it need not be declared.
"""
from __future__ import annotations

import networkx as nx

from .model import Case, Kinship

BLOOD_IN_SCOPE = {
    Kinship.parent, Kinship.child, Kinship.grandparent, Kinship.grandchild,
    Kinship.sibling, Kinship.uncle_aunt, Kinship.nephew_niece, Kinship.cousin,
}
IN_SCOPE = BLOOD_IN_SCOPE | {Kinship.spouse, Kinship.parent_in_law, Kinship.child_in_law, Kinship.sibling_in_law}
# Blood ties that make a spouse's relative a close in-law (配偶的父母、兄弟姐妹; 子女的配偶).
_THROUGH_SPOUSE = {Kinship.parent, Kinship.sibling, Kinship.child}


def kinship_graph(case: Case) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    for rel in case.relations:
        graph.add_edge(rel.person, rel.relative, kind=rel.kind)
    return graph


def _kinds(graph: nx.MultiGraph, a: str, b: str) -> set[Kinship]:
    if not graph.has_edge(a, b):
        return set()
    return {data["kind"] for data in graph.get_edge_data(a, b).values()}


def within_recusal_scope(graph: nx.MultiGraph, a: str, b: str) -> bool:
    """True when a and b are the same person or relatives within the statutory recusal scope."""
    if a == b:
        return True
    if a not in graph or b not in graph:
        return False
    if _kinds(graph, a, b) & IN_SCOPE:
        return True
    for x, y in ((a, b), (b, a)):
        for spouse in graph.neighbors(x):
            if Kinship.spouse in _kinds(graph, x, spouse) and _kinds(graph, spouse, y) & _THROUGH_SPOUSE:
                return True
    return False
