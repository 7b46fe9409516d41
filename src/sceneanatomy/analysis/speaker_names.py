"""Names for anonymous speaker labels ("Speaker 1", "SPEAKER_02", "Man 1") from the talk itself.

Diarised transcripts and some subtitle files label turns "Speaker 1", "Speaker 2"; the
people are named only inside the lines ("Hey Pheebs." — and the next speaker answers).
:func:`link_speaker_names` merges a name-only character into the generic speaker label
it most probably is, so later stages (addressee, dialogue references, the relationship
ledger) see one person. Run it after the characters stage, before the others.

Votes, per scene, over the spoken lines in order (a name is a character that never
speaks under its own label):

* **vocative → next speaker** (+1): a line by A calls N ("Hey Pheebs.", "Ross, you...");
  the next line by someone else than A is by B: B may be N;
* **vocative → previous speaker** (+0.4): the line before, by someone else than A;
* **self-introduction** (+2): "I'm N", "I am N", "My name is N", "This is N", "It's me, N"
  in a line by A;
* **never oneself**: a line by A that names N (not as a self-introduction) rules A out.

A name joins the label with the most votes when it has at least 1 and at least twice the
votes of the runner-up. Only generic labels receive names; a label receives names of one
person only (names whose index candidates overlap, e.g. "Pheebs" and "Phoebe").
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model import Document, ElementKind
from .dialogue_refs import SPOKEN_KINDS, NameIndex, content_span, find_vocatives

GENERIC_LABEL = re.compile(
    r"^(?:speaker|spk|person|voice|unknown|participant|caller|interlocutor)[\s_#-]*\d+$"
    r"|^(?:man|woman|guy|girl|boy)\s*#?\s*\d+$",
    re.I,
)
_SELF = re.compile(
    r"(?:^|[.!?,]\s*)(?:hi,?\s+|hello,?\s+)?(?:i['’]m|i\s+am|my\s+name['’]s|my\s+name\s+is"
    r"|this\s+is|it['’]s\s+me,?|call\s+me)\s+$",
    re.I,
)
NEXT_VOTE, PREVIOUS_VOTE, SELF_VOTE = 1.0, 0.4, 2.0


def is_generic_label(label: str | None) -> bool:
    return bool(label and GENERIC_LABEL.match(label.strip()))


def link_speaker_names(doc: Document, index: NameIndex | None = None) -> dict[str, str]:
    """Merge name-only characters into generic speaker labels; returns name id → label id."""
    generic = {
        e.speaker_id
        for e in doc.elements()
        if e.kind in SPOKEN_KINDS | {ElementKind.CHARACTER}
        and e.speaker_id
        and is_generic_label(e.speaker)
    }
    if not generic:
        return {}
    index = index if index is not None else NameIndex.from_document(doc)
    speakers = {e.speaker_id for e in doc.elements() if e.speaker_id}
    names = {c.id for c in doc.characters} - speakers
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    forbid: set[tuple[str, str]] = set()
    for scene in doc.scenes:
        lines = [e for e in scene.elements if e.kind in SPOKEN_KINDS and e.speaker_id]
        for i, el in enumerate(lines):
            a = el.speaker_id
            c0, c1 = content_span(doc, el)
            text = doc.source_text[c0:c1]
            hits = index.find_names(text, c0)
            voc = find_vocatives(text, index, c0, exclude=a)
            voc_spans = {(v.start, v.end) for v in voc}
            for h in hits:
                if len(h.ids) != 1 or h.ids[0] not in names:
                    continue
                n = h.ids[0]
                before = doc.source_text[max(c0, h.start - 30) : h.start]
                if _SELF.search(before) and a in generic:
                    votes[n][a] += SELF_VOTE
                    continue
                forbid.add((n, a))  # nobody names themselves in the third person
                if (h.start, h.end) not in voc_spans:
                    continue
                nxt = next((x.speaker_id for x in lines[i + 1 : i + 3] if x.speaker_id != a), None)
                prev = next(
                    (x.speaker_id for x in reversed(lines[max(0, i - 2) : i]) if x.speaker_id != a),
                    None,
                )
                if nxt in generic:
                    votes[n][nxt] += NEXT_VOTE
                if prev in generic:
                    votes[n][prev] += PREVIOUS_VOTE
    chosen: dict[str, tuple[str, float]] = {}
    for n, vs in votes.items():
        ranked = sorted(((v, s) for s, v in vs.items() if (n, s) not in forbid), reverse=True)
        if not ranked:
            continue
        best_v, best = ranked[0]
        runner = ranked[1][0] if len(ranked) > 1 else 0.0
        if best_v >= 1.0 and best_v >= 2 * runner:
            chosen[n] = (best, best_v)
    # a label takes the names of one person: the best-voted name and those matching it
    by_label: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for n, (label, v) in chosen.items():
        by_label[label].append((v, n))
    merged: dict[str, str] = {}
    by_id = {c.id: c for c in doc.characters}
    for label, items in by_label.items():
        items.sort(reverse=True)
        head = by_id[items[0][1]]
        keep = [items[0][1]]
        for _v, n in items[1:]:
            other = by_id[n]
            if _same_person(index, head.name, other.name):
                keep.append(n)
        for n in keep:
            merged[n] = label
    if merged:
        _merge(doc, merged)
    return merged


def _same_person(index: NameIndex, a: str, b: str) -> bool:
    """Two names of one person: shared candidates, or one a nickname / part of the other."""
    if set(index.candidates(a)) & set(index.candidates(b)):
        return True
    only_a = NameIndex([("a", a, [a], "unknown", 0.0)])
    only_b = NameIndex([("b", b, [b], "unknown", 0.0)])
    return bool(only_a.candidates(b)) or bool(only_b.candidates(a))


def _merge(doc: Document, merged: dict[str, str]) -> None:
    by_id = {c.id: c for c in doc.characters}
    for n, label in merged.items():
        src, dst = by_id[n], by_id[label]
        for a in [src.name, *src.aliases]:
            if a not in dst.aliases:
                dst.aliases.append(a)
        for m in src.mentions:
            m.character_id = label
            dst.mentions.append(m)
        if dst.gender == "unknown":
            dst.gender = src.gender
        dst.attrs.setdefault("names_from_talk", []).append(src.name)
    doc.characters = [c for c in doc.characters if c.id not in merged]
    for e in doc.elements():
        if e.speaker_id in merged:
            e.speaker_id = merged[e.speaker_id]
        if e.addressee_id in merged:
            e.addressee_id = merged[e.addressee_id]
