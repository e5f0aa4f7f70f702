"""resolve: the Actor behind every mention's id (country, sector, names, Wikidata).

The ``mentions`` stage gives each mention a stable actor id and puts the actors it learned from
the text itself (people, unnamed groups) in ``doc.actors``; this stage adds the knowledge-base
actor of every other id: an ISO3 country, ``<ISO3>.<SECTOR>``, a row of ``lang/actors.tsv``.
"""

from __future__ import annotations

from .. import actors as kb  # the module: rasad.actors imports rasad.stages
from ..doc import Actor, Document
from ..pipeline import stage


@stage("resolve", requires=("mentions",), assigns=("actors",))
def resolve(doc: Document) -> Document:
    actors = dict(doc.actors)
    for m in doc.mentions:
        if m.actor and m.actor not in actors:
            # an id no table knows stays visible under its own name
            actors[m.actor] = kb.actor_for(m.actor) or Actor(m.actor, {doc.lang or "und": m.text})
    doc.actors = actors
    return doc
