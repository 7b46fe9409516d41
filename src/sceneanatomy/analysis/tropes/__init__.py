"""Tropes: familiar moves of a scene, detected as relations over resolved characters.

``detect_tropes(doc)`` is a stage (``Document -> Document``). It reads what earlier stages
wrote — ``doc.characters`` (names, aliases, gender), pronoun mentions from
:mod:`.coref` (``Character.mentions`` of kind ``pronoun``; when none are there it resolves
pronouns itself), ``Element.speaker_id`` / ``addressee_id``, and, when the relationships
stage ran, ``doc.relationships`` (triangles, unrequited love, second leads) — and writes:

- ``Scene.tropes``: the in-story tropes of each scene, each a
  :class:`~sceneanatomy.model.TropeHit` with its roles (character ids), variant, consent
  flag, evidence spans and confidence;
- ``Document.audience_tropes``: viewers' terms (second lead syndrome, "Team X", shipping),
  kept apart from what happens in the story.

What a trope is, its roles, cues and patterns live in the catalogue
(``sceneanatomy/data/tropes.yaml``); this module holds only the generic machinery. Text is
read in *units* (a sentence of an action line or of narration, or one spoken line). In a
unit every character mention (a name, "the director", a resolved he/she/him/her) becomes
one placeholder token, so that a catalogue template such as
``@verbs (up|back)? <patient> *3 @prepositions *2 @surfaces`` matches "backs **her** against
the sofa" with ``patient`` bound to the character "her" refers to. Roles the template does
not hold are bound by rule (``subject``: the subject of the clause before the verb;
``other-subject``; ``counterpart``; ``speaker`` / ``addressee`` of a spoken line...).
A romantic trope also needs a romantic context (a romance word near it, another romantic
move between the same people, or a romantic edge in the ledger); a violent sentence vetoes
it. See docs/tropes.md.

The package, by family: :mod:`.catalogue` (the YAML catalogue and its compiled templates),
:mod:`.units` (the document as units with masked people), :mod:`.moves` (in-scene moves:
templates, keywords, role binding, variants, the romance rules), :mod:`.story` (derived
and ledger tropes: a triangle's choice, second lead, unrequited love) and :mod:`.detect`
(the stage and the merge).
"""

from __future__ import annotations

from collections.abc import Sequence

from .catalogue import (
    BIND_RULES,
    CATEGORIES,
    DEFAULT_GAP,
    DERIVED_RULES,
    LEDGER_MIN_CONFIDENCE,
    LEDGER_PATTERNS,
    PATTERN_KINDS,
    SCHEMA,
    VARIANTS,
    Catalogue,
    CatalogueError,
    Pattern,
    Template,
    TropeDef,
    Window,
    build_catalogue,
    default_path,
    inflect,
    load_catalogue,
)
from .detect import all_tropes, catalogue_ids, detect_tropes, romance_trope_ids, scene_tropes
from .units import NARRATIVE_KINDS, SPEECH_KINDS

__all__: Sequence[str] = (
    "BIND_RULES",
    "CATEGORIES",
    "DEFAULT_GAP",
    "DERIVED_RULES",
    "LEDGER_MIN_CONFIDENCE",
    "LEDGER_PATTERNS",
    "NARRATIVE_KINDS",
    "PATTERN_KINDS",
    "SCHEMA",
    "SPEECH_KINDS",
    "VARIANTS",
    "Catalogue",
    "CatalogueError",
    "Pattern",
    "Template",
    "TropeDef",
    "Window",
    "all_tropes",
    "build_catalogue",
    "catalogue_ids",
    "default_path",
    "detect_tropes",
    "inflect",
    "load_catalogue",
    "romance_trope_ids",
    "scene_tropes",
)
