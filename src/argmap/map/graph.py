"""Read-only graph queries over a map: edges, parents, children, reach, cycles.

Plain linear walks over dicts (no graph library: ``argmap check`` of a small
map must start instantly, and networkx alone costs 0.13-0.17 s to import).

Vocabulary: an :class:`Edge` goes from the node holding the relation
(``source``) to its ``target``; ``kind`` is ``supports`` or ``attacks``;
``members`` are all premises of a linked relation (the source first).
An :class:`Undercut` goes from a node to an edge (or to another undercut),
named by a relation reference ``a->b`` / ``u->a->b``.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import NamedTuple

SUPPORTS = "supports"
ATTACKS = "attacks"


class Edge(NamedTuple):
    """A supports/attacks relation (an immutable tuple: cheap to build by the thousand)."""

    source: str
    target: str
    kind: str  # "supports" | "attacks"
    members: tuple[str, ...] = ()  # linked premises incl. source; () for simple
    scheme: str | None = None
    node_index: int = 0  # index of the holding node in map.nodes
    rel_index: int = 0  # index in that node's supports/attacks list

    @property
    def ref(self) -> str:
        return f"{self.source}->{self.target}"

    @property
    def sources(self) -> tuple[str, ...]:
        return self.members or (self.source,)


class Undercut(NamedTuple):
    source: str
    ref: str  # the relation reference it attacks, e.g. "a->b" or "u->a->b"
    node_index: int = 0
    rel_index: int = 0

    @property
    def own_ref(self) -> str:
        return f"{self.source}->{self.ref}"


@dataclass
class MapGraph:
    """Indexes over one map. Build with :func:`build`."""

    ids: list[str]  # node ids in order (duplicates kept)
    index: dict[str, int]  # id -> first index
    kinds: dict[str, str]
    edges: list[Edge]
    undercuts: list[Undercut]
    out_edges: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    in_edges: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    node_kinds: list[str] = field(default_factory=list)  # per node index (duplicates kept): its kind

    @property
    def theses(self) -> list[str]:
        return [i for i in self.index if self.kinds[i] == "thesis"]

    def relation_refs(self) -> set[str]:
        """Every relation reference that exists: edges and undercuts."""
        refs = {e.ref for e in self.edges}
        refs.update(u.own_ref for u in self.undercuts)
        return refs

    def children(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id`` (its reasons and objections), in map order."""
        return self.in_edges.get(node_id, [])

    def reaching(self, root: str, *more: str) -> set[str]:
        """Ids with a path of relations to ``root`` or to any of ``more`` (the roots included).

        A linked co-premise reaches what its relation reaches; an undercut
        reaches what the source of the relation it attacks reaches. One walk
        for all the roots: each node and relation is visited once, however
        many roots there are.
        """
        seen = {root, *more}
        stack = list(seen)
        by_ref_source: dict[str, list[Undercut]] = defaultdict(list)
        for u in self.undercuts:
            by_ref_source[u.ref.split("->", 1)[0]].append(u)
        in_edges = self.in_edges
        while stack:
            cur = stack.pop()
            for e in in_edges.get(cur, ()):
                if e.members:
                    for s in e.members:
                        if s not in seen:
                            seen.add(s)
                            stack.append(s)
                else:
                    s = e.source
                    if s not in seen:
                        seen.add(s)
                        stack.append(s)
            if by_ref_source:
                for u in by_ref_source.get(cur, ()):
                    if u.source not in seen:
                        seen.add(u.source)
                        stack.append(u.source)
        return seen

    def support_cycles(self) -> list[list[str]]:
        """Each strongly connected set of support edges, as one concrete cycle."""
        if self._supports_descend():
            return []
        adj: dict[str, list[str]] = defaultdict(list)
        for e in self.edges:
            if e.kind == SUPPORTS:
                if e.members:
                    for s in e.members:
                        adj[s].append(e.target)
                else:
                    adj[e.source].append(e.target)
        return _cycles(adj, list(self.index))

    def _supports_descend(self) -> bool:
        """Whether every support runs from a later node to an earlier one (a map
        written top-down); then no support cycle can exist. False also when a
        support names an unknown id (the full search decides then)."""
        index = self.index
        get = index.get
        for e in self.edges:
            if e.kind != SUPPORTS:
                continue
            t = get(e.target)
            if t is None:
                return False
            if e.members:
                for s in e.members:
                    p = get(s)
                    if p is None or p <= t:
                        return False
            elif index[e.source] <= t:
                return False
        return True


def _kind_value(kind) -> str:
    return kind.value if hasattr(kind, "value") else str(kind)


def build(amap) -> MapGraph:
    nodes = amap.nodes
    ids = [n.id for n in nodes]
    index: dict[str, int] = {}
    kinds: dict[str, str] = {}
    values: dict = {}  # kind (an enum member) -> its string, looked up once per kind
    node_kinds: list[str] = []
    for i, n in enumerate(nodes):
        k = n.kind
        v = values.get(k)
        if v is None:
            v = values[k] = _kind_value(k)
        node_kinds.append(v)
        nid = ids[i]
        if nid not in index:
            index[nid] = i
            kinds[nid] = v
    edges: list[Edge] = []
    undercuts: list[Undercut] = []
    out_edges: dict[str, list[Edge]] = defaultdict(list)
    in_edges: dict[str, list[Edge]] = defaultdict(list)
    new = tuple.__new__
    add = edges.append
    for i, n in enumerate(nodes):
        nid = ids[i]
        for kind, rels in ((SUPPORTS, n.supports), (ATTACKS, n.attacks)):
            if not rels:
                continue
            outs = out_edges[nid]
            for j, rel in enumerate(rels):
                w = rel.with_
                if w:
                    members = (nid, *w)
                    e = new(Edge, (nid, rel.to, kind, members, rel.scheme, i, j))
                    outs.append(e)
                    for m in w:
                        out_edges[m].append(e)
                else:
                    e = new(Edge, (nid, rel.to, kind, (), rel.scheme, i, j))
                    outs.append(e)
                add(e)
                in_edges[rel.to].append(e)
        if n.undercuts:
            for j, ref in enumerate(n.undercuts):
                u = new(Undercut, (nid, ref, i, j))
                undercuts.append(u)
    return MapGraph(ids, index, kinds, edges, undercuts, out_edges, in_edges, node_kinds)


def _cycles(adj: dict[str, list[str]], order: list[str]) -> list[list[str]]:
    """Tarjan's SCC (iterative); for each non-trivial SCC, one cycle through it."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    sccs: list[list[str]] = []
    counter = 0
    nodes = list(dict.fromkeys(order + [t for ts in adj.values() for t in ts]))
    for start in nodes:
        if start in index_of:
            continue
        work = [(start, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index_of[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = adj.get(v, [])
            recurse = False
            while i < len(succ):
                w = succ[i]
                i += 1
                if w not in index_of:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index_of[w])
            if recurse:
                continue
            if low[v] == index_of[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in adj.get(v, []):
                    sccs.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    position = {n: i for i, n in enumerate(order)}
    cycles = []
    for comp in sccs:
        members = set(comp)
        first = min(comp, key=lambda x: position.get(x, len(order)))
        cycles.append(_cycle_through(first, adj, members))
    return cycles


def _cycle_through(start: str, adj: dict[str, list[str]], members: set[str]) -> list[str]:
    """A shortest cycle from ``start`` back to itself inside ``members`` (BFS)."""
    prev: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        v = queue.popleft()
        for w in adj.get(v, []):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(prev[path[-1]])
                path.reverse()
                return path + [start]
            if w not in seen:
                seen.add(w)
                prev[w] = v
                queue.append(w)
    return [start, start]
