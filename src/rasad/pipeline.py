"""Named stages with what they require and assign, checked when a pipeline is built."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .doc import Document
from .errors import PipelineError

StageFn = Callable[[Document], Document]

# what exists before any stage ran
_GIVEN = frozenset({"text", "meta", "published"})


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    fn: StageFn
    requires: frozenset[str]
    assigns: frozenset[str]


_REGISTRY: dict[str, StageInfo] = {}


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Register a ``(doc) -> doc`` function as a pipeline stage."""

    def register(fn: StageFn) -> StageFn:
        _REGISTRY[name] = StageInfo(name, fn, frozenset(requires), frozenset(assigns))
        return fn

    return register


def registered() -> dict[str, StageInfo]:
    _load_stages()
    return dict(_REGISTRY)


def _load_stages() -> None:
    import importlib

    from .stages import STAGE_MODULES

    for name in STAGE_MODULES:  # importing a stage module registers it
        importlib.import_module(f"rasad.stages.{name}")


DEFAULT_STAGES = (
    "language", "normalize", "zones", "segment", "times", "numbers",
    "mentions", "resolve", "quotes", "events",
)


class Pipeline:
    """An ordered list of stages; ``pipeline(doc)`` runs them all."""

    def __init__(self, names: Iterable[str] = DEFAULT_STAGES) -> None:
        reg = registered()
        have = set(_GIVEN)
        self.stages: list[StageInfo] = []
        for name in names:
            info = reg.get(name)
            if info is None:
                known = ", ".join(sorted(reg))
                raise PipelineError(f"unknown stage '{name}'; known stages: {known}")
            missing = info.requires - have
            if missing:
                raise PipelineError(
                    f"stage '{name}' requires {', '.join(sorted(missing))}, "
                    "which no earlier stage assigns; put the stage that assigns it first"
                )
            have |= info.assigns
            self.stages.append(info)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for s in self.stages:
            doc = s.fn(doc)
        # what the stages shared (sentence views point back to the document): let it go with
        # the pipeline, so a finished document is freed by reference counting alone
        doc._cache.clear()
        return doc
