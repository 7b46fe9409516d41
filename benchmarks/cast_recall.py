"""Cast recall: speaking characters found in 15 screenplays against their IMDb cast lists.

Data: ``../shared/eval/narrative/tripod/screenplays_test/*_script.txt`` (IMSDb-style plain
text screenplays) and the ``*_imdb_meta.txt`` beside each (``cast<TAB>actor<TAB>role``
lines). Read in place, never copied.

What is measured: the characters ``find_characters`` (rule path unless ``--nlp``) reports
with at least one line of dialogue ("speaking characters"), aliases merged, against the
distinct character names of the cast list.

Matching (one to one, greedy, best match first). Names are folded (case, accents,
punctuation, a leading "the", "#", "(voice)"-style notes dropped); a cast entry with
alternatives ("Track Announcer / Dad Smile Photo") offers each. A predicted character
matches a cast name when

- some alias equals the cast name (score 3): "the nurse" = "Nurse";
- or the words of some alias are all words of the cast name, or the reverse, and the
  shared words include a proper name, i.e. a word that is not a role noun or a common
  word (score 2): "JUNO" ⊂ "Juno MacGuff", "Bleeker" ⊂ "Paulie Bleeker" — but "GIRL"
  does not match "Girl Lab Partner".

precision = matched speaking characters / speaking characters;
recall = matched cast names / distinct cast names. Two predicted characters for one
person (aliases not merged) leave one unmatched, so they cost precision. Speaking
characters absent from the cast list (uncredited parts, "WAITER", script/film
differences) and cast members who never speak in the script count against us.

The second-to-last line restricts both sides to named characters (no role nouns such as
"Nurse" or "Tough Girl" on either side) as a secondary view.

Usage: ``python benchmarks/cast_recall.py [--nlp rules|spacy|auto] [--verbose]``.
The last line is ``cast: precision=… recall=…``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from sceneanatomy.analysis.characters import find_characters
from sceneanatomy.analysis.lexicon import ROLE_NOUNS, STOPWORDS
from sceneanatomy.names import fold
from sceneanatomy.readers import read_path

GENERIC = (
    ROLE_NOUNS | STOPWORDS | {"lab", "partner", "guy", "voice", "young", "old", "older", "little"}
)


def shared_dir() -> Path | None:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir():
            return c
    return None


def norm(name: str) -> str:
    s = fold(name)
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"[#\"“”.,:;!?]", " ", s).replace("’", "'")
    s = re.sub(r"^the\s+", "", s.strip())
    return " ".join(s.split())


def cast_names(meta: Path) -> list[str]:
    out: list[str] = []
    for line in meta.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0] == "cast" and parts[2].strip():
            for alt in parts[2].split("/"):
                n = norm(alt)
                if n and n not in out:
                    out.append(n)
    return out


def match_score(aliases: list[str], cast: str) -> int:
    cw = set(cast.split())
    best = 0
    for a in aliases:
        if a == cast:
            return 3
        aw = set(a.split())
        if not aw or not cw:
            continue
        shared = aw & cw
        if (aw <= cw or cw <= aw) and any(w not in GENERIC and len(w) > 2 for w in shared):
            best = max(best, 2)
    return best


def is_named(name: str) -> bool:
    return any(w not in GENERIC for w in norm(name).split())


def evaluate(
    script: Path, meta: Path, nlp: str, named_only: bool = False
) -> tuple[int, int, int, int, list[str]]:
    doc = read_path(script)
    find_characters(doc, nlp)
    speaking = [c for c in doc.characters if c.attrs.get("lines", 0) > 0]
    cast = cast_names(meta)
    if named_only:
        speaking = [c for c in speaking if c.attrs.get("kind") != "role" and is_named(c.name)]
        cast = [c for c in cast if is_named(c)]
    pairs = []
    for i, c in enumerate(speaking):
        aliases = sorted({norm(a) for a in c.aliases} | {norm(c.name)})
        for j, n in enumerate(cast):
            sc = match_score(aliases, n)
            if sc:
                pairs.append((sc, c.attrs.get("lines", 0), i, j))
    pairs.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    used_p: set[int] = set()
    used_c: set[int] = set()
    for _, _, i, j in pairs:
        if i in used_p or j in used_c:
            continue
        used_p.add(i)
        used_c.add(j)
    unmatched = [c.name for i, c in enumerate(speaking) if i not in used_p]
    return len(used_p), len(speaking), len(used_c), len(cast), unmatched


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nlp", default="rules", choices=["rules", "spacy", "auto"])
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        print("cast: skipped (../shared/eval not present)")
        return 0
    folder = shared / "eval" / "narrative" / "tripod" / "screenplays_test"
    scripts = sorted(folder.glob("*_script.txt"))
    totals = {False: [0, 0, 0, 0], True: [0, 0, 0, 0]}
    for script in scripts:
        meta = script.with_name(script.name.replace("_script.txt", "_imdb_meta.txt"))
        if not meta.exists():
            continue
        for named in (False, True):
            mp, np_, mc, nc, unmatched = evaluate(script, meta, args.nlp, named)
            t = totals[named]
            t[0] += mp
            t[1] += np_
            t[2] += mc
            t[3] += nc
            if not named:
                title = script.name.replace("_script.txt", "")
                p = mp / np_ if np_ else 0.0
                r = mc / nc if nc else 0.0
                print(f"{title:45} speaking={np_:3d} cast={nc:3d} precision={p:.3f} recall={r:.3f}")
                if args.verbose:
                    print("   unmatched:", ", ".join(unmatched))
    for named in (True, False):
        mp, np_, mc, nc = totals[named]
        p = mp / np_ if np_ else 0.0
        r = mc / nc if nc else 0.0
        label = "cast (named only)" if named else "cast"
        print(f"{label}: precision={p:.3f} recall={r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
