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

from collections import defaultdict
from dataclasses import dataclass, field

SUPPORTS = "supports"
ATTACKS = "attacks"
UNDERCUTS = "undercuts"


@dataclass(frozen=True, slots=True)
class Edge:
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


@dataclass(frozen=True, slots=True)
class Undercut:
    source: str
    ref: str  # the relation reference it attacks, e.g. "a->b" or "u->a->b"
    node_index: int = 0
    rel_index: int = 0

    @property
    def own_ref(self) -> str:
        return f"{self.source}->{self.ref}"

    @property
    def target_source(self) -> str:
        """The node the undercut relation starts from (first id of ``ref``)."""
        return self.ref.split("->", 1)[0]


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
    undercuts_of: dict[str, list[Undercut]] = field(default_factory=lambda: defaultdict(list))

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

    def parents(self, node_id: str) -> list[Edge]:
        return self.out_edges.get(node_id, [])

    def reaching(self, root: str) -> set[str]:
        """Ids with a path of relations to ``root`` (root included).

        A linked co-premise reaches what its relation reaches; an undercut
        reaches what the source of the relation it attacks reaches.
        """
        seen = {root}
        stack = [root]
        by_ref_source: dict[str, list[Undercut]] = defaultdict(list)
        for u in self.undercuts:
            by_ref_source[u.target_source].append(u)
        while stack:
            cur = stack.pop()
            for e in self.in_edges.get(cur, ()):
                for s in e.sources:
                    if s not in seen:
                        seen.add(s)
                        stack.append(s)
            for u in by_ref_source.get(cur, ()):
                if u.source not in seen:
                    seen.add(u.source)
                    stack.append(u.source)
        return seen

    def support_cycles(self) -> list[list[str]]:
        """Each strongly connected set of support edges, as one concrete cycle."""
        adj: dict[str, list[str]] = defaultdict(list)
        for e in self.edges:
            if e.kind == SUPPORTS:
                for s in e.sources:
                    adj[s].append(e.target)
        return _cycles(adj, list(self.index))


def build(amap) -> MapGraph:
    ids = [n.id for n in amap.nodes]
    index: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for i, n in enumerate(amap.nodes):
        if n.id not in index:
            index[n.id] = i
            kinds[n.id] = n.kind.value if hasattr(n.kind, "value") else str(n.kind)
    edges: list[Edge] = []
    undercuts: list[Undercut] = []
    for i, n in enumerate(amap.nodes):
        for kind in (SUPPORTS, ATTACKS):
            for j, rel in enumerate(getattr(n, kind)):
                members = (n.id, *rel.with_) if rel.with_ else ()
                edges.append(Edge(n.id, rel.to, kind, members, rel.scheme, i, j))
        for j, ref in enumerate(n.undercuts):
            undercuts.append(Undercut(n.id, ref, i, j))
    g = MapGraph(ids, index, kinds, edges, undercuts)
    for e in edges:
        g.out_edges[e.source].append(e)
        for m in e.members[1:]:
            g.out_edges[m].append(e)
        g.in_edges[e.target].append(e)
    for u in undercuts:
        g.undercuts_of[u.ref].append(u)
    return g


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
    from collections import deque

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
