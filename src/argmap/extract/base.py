"""The small interface every extraction backend implements.

A backend receives the article's candidate units (exact spans, with ids
``u1``, ``u2``, ...) and returns one :class:`Label` per unit: its kind (or
``None`` when it is not argument), the id of the one unit it supports or
attacks, its confidence and, where it has them, the cues behind the
decision. Backends never create text: quotes are the units' spans, so a
backend can only choose among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from argmap.extract.segment import Segmentation

RELATIONS = ("supports", "attacks")

Progress = Callable[[str], None]


@dataclass
class Label:
    unit: str  # unit id
    kind: str | None  # one of argmap.map.model.KINDS, or None: not argumentative
    target: str | None = None  # unit id this unit supports/attacks
    relation: str | None = None  # "supports" | "attacks"
    confidence: float = 0.5
    cues: list[str] = field(default_factory=list)
    actor: str | None = None
    scheme: str | None = None  # a proposed argumentation scheme for the relation (catalogue id)


class Backend(Protocol):
    name: str

    def label(self, seg: Segmentation, progress: Progress | None = None) -> list[Label]:
        """One label per unit of ``seg.units``, in the same order."""
        ...
