"""Ranks and direction of the DOT drawing, chosen so that wide fans stay readable (pure; no Graphviz).

Left alone, Graphviz's ``dot`` puts each node one rank below its conclusion:
a thesis with twenty reasons becomes one row of twenty boxes, and the seed
map came out about 6:1 (5547 x 956 px). Before the DOT is written,
:func:`layer` estimates the drawing: the boxes' sizes (sized as Graphviz
sizes them, see :func:`argmap.views.dot.text_width`), the ranks ``dot``
would give them, the room long edges take where they cross a rank, the
legend and the title. Then:

1. a drawing at most ``MAX_ASPECT`` (2:1) long along its ranks, or at most
   ``SMALL`` long, is left as it is;
2. with the automatic direction, one too wide with the thesis on top that
   fits with the thesis on the left is turned: boxes are about four times as
   wide as tall, so a fan stacked in a column takes a quarter of the room it
   takes in a row;
3. otherwise a drawing too long along its ranks is folded (in each direction
   when the direction is automatic, keeping the one nearer square), as
   Graphviz's ``unflatten`` staggers fans: bottom-up over a breadth-first
   spanning tree, each node's reasons go into as many columns as fit a width
   budget, each reason's subtree stacked under the deepest node of the one
   above it in its column (those pairs are returned, for invisible edges
   that line the columns up). The budget is searched by bisection for
   proportions near ``AIM_ASPECT``.

Cycles are broken first by a depth-first walk (the edges that close one are
returned; :mod:`argmap.views.dot` draws them without ``constraint`` when
folding). After folding every edge spans exactly its layer difference,
which the DOT says with ``minlen``: network simplex minimises the total edge
length, so ``dot`` keeps these ranks.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict, deque
from dataclasses import dataclass

MAX_ASPECT = 2.0  # a drawing may be this much longer along its ranks than across them
SMALL = 1000.0  # ... and any proportions when its longer side is at most this (points): it is seen whole
AIM_ASPECT = 1.1  # what folding aims at (dot spreads a little more than estimated)
DUMMY_WIDTH = 4.0  # the width of a long edge where it crosses a layer (plus nodesep)
LEGEND_MARGIN = 16.0  # a cluster's margins around its rows


@dataclass
class Layers:
    """The layer of every node (0 = the top: the thesis) and what the drawing will look like."""

    layer: dict[str, int]
    cycle_edges: set[int]  # indexes of edges that close a cycle: drawn without constraint
    horizontal: bool  # ranks are columns (rankdir LR or RL)
    folded: bool  # the layers differ from dot's own: pinned with minlen
    stacked: dict[str, str]  # a stacked node -> the node above it (one layer up) it is lined up under
    width: float  # estimated size of the drawing in points (title included)
    height: float


def layer(
    names: list[str],
    size: dict[str, tuple[float, float]],
    edges: list[tuple[str, str]],
    constrain: list[bool],
    *,
    horizontal: bool | None = False,
    nodesep: float = 18.0,
    ranksep: float = 32.4,
    reserve: list[list[tuple[float, float]]] = (),
    title: tuple[float, float] = (0.0, 0.0),
    fold: bool = True,
) -> Layers:
    """Choose the layers (and, when ``horizontal`` is None, the direction) of a drawing.

    ``size`` is each node's (width, height) in points; ``edges`` are
    (reason, conclusion) pairs of node names, ``constrain`` says which of
    them place nodes (the others count for the width only: ``dot`` routes
    them through the layers they cross). ``reserve`` holds what stands
    beside the top layers, one list of (width, height) items per layer (the
    legend's rows); ``title`` is the (width, height) of the title above.
    ``fold=False`` only chooses the direction: folding lengthens edges, and
    on maps of thousands of nodes the virtual nodes ``dot`` adds for long
    edges cost minutes.
    """
    cycle = break_cycles(names, edges, constrain)
    g = _Graph(names, edges, [c and i not in cycle for i, c in enumerate(constrain)])
    base = g.longest_path()
    plans = []  # per direction: [estimate, layers, stacked, width, height]
    for flat in ((False, True) if horizontal is None else (horizontal,)):
        est = _Estimate(g, size, reserve, flat, nodesep, ranksep, title)
        plans.append([est, base, {}, *est.measure(base)])

    def fits(plan) -> bool:
        w, h = plan[3], plan[4]
        return max(w, h) <= SMALL or 1 / MAX_ASPECT <= w / max(h, 1.0) <= MAX_ASPECT

    def off(plan) -> float:  # how far from square
        return abs(math.log(max(plan[3], 1.0) / max(plan[4], 1.0)))

    chosen = plans[0]
    if not fits(chosen):
        if len(plans) > 1 and fits(plans[1]):
            chosen = plans[1]  # turned as it comes: the fan stacks in a column
        else:
            for plan in plans:
                est = plan[0]
                if fold and est.stretch(plan[3], plan[4]) > MAX_ASPECT and len(names) > 2:
                    plan[1:] = est.fold()
            chosen = min(plans, key=off)  # the first (thesis on top) when equal
    est, lay, stacked, width, height = chosen
    return Layers(lay, cycle, est.horizontal, lay is not base, stacked, width, height)


def break_cycles(names: list[str], edges: list[tuple[str, str]], use: list[bool]) -> set[int]:
    """Indexes of the edges (among those with ``use``) that close a cycle, by an iterative DFS.

    Edges run from a reason (tail) to its conclusion (head); the walk goes
    from conclusions to reasons, starting at the nodes without conclusions.
    """
    down: dict[str, list[tuple[str, int]]] = defaultdict(list)  # head -> [(tail, edge)]
    has_up: set[str] = set()
    for i, (t, h) in enumerate(edges):
        if use[i]:
            down[h].append((t, i))
            has_up.add(t)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    closing: set[int] = set()
    for s in [n for n in names if n not in has_up] + names:
        if s in state:
            continue
        state[s] = 1
        stack = [(s, iter(down.get(s, ())))]
        while stack:
            v, it = stack[-1]
            for t, i in it:
                st = state.get(t)
                if st is None:
                    state[t] = 1
                    stack.append((t, iter(down.get(t, ()))))
                    break
                if st == 1:
                    closing.add(i)
            else:
                state[v] = 2
                stack.pop()
    return closing


class _Graph:
    """The conclusions and reasons of each node over the edges that place nodes; every edge for widths."""

    def __init__(self, names: list[str], edges: list[tuple[str, str]], dag: list[bool]):
        self.names = names
        self.order = {n: i for i, n in enumerate(names)}
        self.up: dict[str, list[str]] = defaultdict(list)  # conclusions of a node
        self.down: dict[str, list[str]] = defaultdict(list)  # reasons of a node
        self.edges = [(t, h) for t, h in edges if t != h]
        for i, (t, h) in enumerate(edges):
            if dag[i] and t != h:
                self.up[t].append(h)
                self.down[h].append(t)
        self.topo = self._topo()
        # a breadth-first spanning tree from the tops: each node's parent is its nearest conclusion
        self.parent: dict[str, str] = {}
        self.kids: dict[str, list[str]] = defaultdict(list)
        queue = deque(v for v in names if not self.up.get(v))
        seen = set(queue)
        while queue:
            v = queue.popleft()
            for c in self.down.get(v, ()):
                if c not in seen:
                    seen.add(c)
                    self.parent[c] = v
                    self.kids[v].append(c)
                    queue.append(c)

    def _topo(self) -> list[str]:
        """Conclusions before their reasons (Kahn's algorithm, map order among equals)."""
        pending = {v: len(self.up.get(v, ())) for v in self.names}
        queue = deque(v for v in self.names if pending[v] == 0)
        out = []
        while queue:
            v = queue.popleft()
            out.append(v)
            for c in self.down.get(v, ()):
                pending[c] -= 1
                if pending[c] == 0:
                    queue.append(c)
        return out

    def longest_path(self) -> dict[str, int]:
        """Each node one layer below its lowest conclusion; the nodes without one in layer 0."""
        lay: dict[str, int] = {}
        for v in self.topo:
            lay[v] = 1 + max((lay[p] for p in self.up.get(v, ())), default=-1)
        return lay


class _Estimate:
    """The size of the drawing for given layers, in one direction."""

    def __init__(self, g: _Graph, size: dict, reserve: list, horizontal: bool, nodesep: float,
                 ranksep: float, title: tuple[float, float]):
        self.g = g
        self.horizontal = horizontal
        self.nodesep = nodesep
        self.ranksep = ranksep
        self.title = title
        # along: extent within a layer; across: thickness of a layer
        self.ext = {n: ((h, w) if horizontal else (w, h)) for n, (w, h) in size.items()}
        self.reserve = []
        for row in reserve:
            items = [((h, w) if horizontal else (w, h)) for w, h in row]
            self.reserve.append((sum(a for a, _ in items) + nodesep * (len(items) - 1) + LEGEND_MARGIN,
                                 max(b for _, b in items) + LEGEND_MARGIN / len(reserve)))

    def size(self, along: float, across: float) -> tuple[float, float]:
        """The drawing's (width, height) from its extents along and across the layers."""
        tw, th = self.title
        if self.horizontal:
            return max(across, tw), along + th
        return max(along, tw), across + th

    def stretch(self, width: float, height: float) -> float:
        """How much longer the drawing is along its layers than across them."""
        return height / max(width, 1.0) if self.horizontal else width / max(height, 1.0)

    def layers(self, lay: dict[str, int]) -> tuple[list[float], float]:
        """The extent of each layer along it, and the total thickness."""
        depth = max(max(lay.values(), default=0) + 1, len(self.reserve))
        width = [0.0] * depth
        count = [0] * depth
        thick = [0.0] * depth
        for v, i in lay.items():
            a, b = self.ext[v]
            width[i] += a
            count[i] += 1
            thick[i] = max(thick[i], b)
        crossing = [0] * (depth + 1)  # +1 where long edges start crossing layers, -1 where they stop
        for t, h in self.g.edges:
            a, b = sorted((lay[t], lay[h]))
            if b - a > 1:
                crossing[a + 1] += 1
                crossing[b] -= 1
        running = 0
        out = []
        for i in range(depth):
            running += crossing[i]
            extra_along, extra_across = self.reserve[i] if i < len(self.reserve) else (0.0, 0.0)
            items = count[i] + running + (1 if extra_along else 0)
            out.append(width[i] + extra_along + running * DUMMY_WIDTH + self.nodesep * max(0, items - 1))
            thick[i] = max(thick[i], extra_across)
        return out, sum(thick) + self.ranksep * (depth - 1)

    def measure(self, lay: dict[str, int]) -> tuple[float, float]:
        widths, across = self.layers(lay)
        return self.size(max(widths), across)

    def fold(self) -> tuple[dict[str, int], dict[str, str], float, float]:
        """Fold into the budget that gives the proportions closest to AIM_ASPECT (bisection on the budget)."""
        ext = self.ext
        lo = max([a for a, _ in ext.values()] + [a for a, _ in self.reserve])  # the widest box
        hi = max([lo] + self.layers(self.g.longest_path())[0])  # the widest layer, unfolded
        best, best_err = None, math.inf
        for _ in range(10):
            budget = math.sqrt(lo * hi)
            lay, stacked = self._pack(budget)
            width, height = self.measure(lay)
            got = self.stretch(width, height)
            err = abs(math.log(got / AIM_ASPECT))
            if err < best_err:
                best, best_err = (lay, stacked, width, height), err
            if err < 0.08 or hi / lo < 1.02:
                break
            if got > AIM_ASPECT:
                hi = budget
            else:
                lo = budget
        return best

    def _pack(self, budget: float) -> tuple[dict[str, int], dict[str, str]]:
        """Fold every fan wider than ``budget`` into columns of stacked subtrees.

        Bottom-up over the spanning tree, each subtree is a box (its widest
        layer, its depth). A node's children go into as many columns as fit
        the budget (a child in a lower row costs a little width in the rows
        above, where its edge passes); in each column a child's subtree
        starts below the one above it, and is stacked under that subtree's
        deepest node. The tops of the map are packed the same way, beside the
        reserved space. Returns the layers and {stacked node: node above}.
        """
        g, ext, sep = self.g, self.ext, self.nodesep
        chain = DUMMY_WIDTH + sep
        box: dict[str, tuple[float, int, str]] = {}  # node -> (width, depth, a node in its deepest layer)
        offset: dict[str, int] = {}  # node -> layers below its tree parent (tops: its layer + 1)
        stacked: dict[str, str] = {}

        def pack(kids: list[str], room: float) -> tuple[float, int, str | None]:
            n = len(kids)
            if not n:
                return 0.0, 0, None
            prefix = list(itertools.accumulate((box[c][0] for c in kids), initial=0.0))
            for k in range(n, 0, -1):  # k columns: the most that fit
                widest = max(prefix[min(n, r + k)] - prefix[r] + sep * (min(n, r + k) - r - 1)
                             + max(0, n - r - k) * chain for r in range(0, n, k))
                if widest <= room:
                    break
            ends = []  # (depth, node in the deepest layer) of each column
            for j in range(k):
                at, above = 1, None
                for c in kids[j::k]:
                    if above is not None:
                        stacked[c] = box[above][2]
                    offset[c] = at
                    at += box[c][1]
                    above = c
                ends.append((at - 1, box[above][2]))
            deepest = max(d for d, _ in ends)
            bottoms = [b for d, b in ends if d == deepest]
            return widest, deepest, bottoms[len(bottoms) // 2]  # the middle one: stacking stays centred

        for v in reversed(g.topo):
            kids = g.kids.get(v, [])
            if not kids:
                box[v] = (ext[v][0], 1, v)
                continue
            width, depth, bottom = pack(kids, budget)
            box[v] = (max(ext[v][0], width), depth + 1, bottom)
        room = budget - max([a + sep for a, _ in self.reserve[:1]], default=0.0)
        pack([v for v in g.names if v not in g.parent], max(room, 1.0))
        lay: dict[str, int] = {}
        for v in g.topo:
            p0 = g.parent.get(v)
            lay[v] = max((lay[p] + (offset[v] if p == p0 else 1) for p in g.up.get(v, ())),
                         default=offset.get(v, 1) - 1)
        return lay, stacked
