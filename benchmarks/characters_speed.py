"""Speed of the characters stage against reading the file.

1. Rule path, the 15 plain-text screenplays of ../shared/eval/narrative/tripod/
   screenplays_test: time of ``read_path`` (parse) and of ``find_characters(doc, "rules")``
   on the parsed document, each the best of ``--repeat`` runs per file after a warm-up,
   summed over the files. overhead = characters / parse (target: < 0.5).
2. Rule path, large generated inputs (no shared data needed): a prose recap of many
   paragraphs and an SRT file of many cues with speaker prefixes, built from templates.
3. spaCy path (when the ``nlp`` extra is installed): sentences per second of
   ``find_characters(doc, "spacy")`` against plain ``nlp.pipe`` over the same narrative
   texts (the generated prose), each the best of ``--repeat`` runs, interleaved.
4. The whole "who is who" preset (the pipeline's ``who_is_who``: characters,
   speaker_names, coref, attribution, addressee, dialogue_refs, conversation; rule path)
   on the 15 screenplays: CPU seconds of each stage (one ``pipeline.run`` with
   ``timings=``, as the command runs it; cyclic garbage collection paused while a file is
   read and analysed, as the command pauses it), one run per file (``--no-pipeline`` skips
   it). Printed before the last line as
   ``who_is_who: parse_s=… stages_s=… overhead=…``.

Part 1 also reports ``characters_first_s``: the first of the runs on each file (the
stage's caches of word runs and name keys still cold for that file's own text), which is
what a single ``scene-anatomy characters`` invocation pays.

Times are CPU seconds of this process (``time.process_time``), so that other work on the
machine does not skew the ratio. Usage: ``python benchmarks/characters_speed.py
[--repeat 3]``. The last line is
``characters_speed: parse_s=… characters_s=… overhead=…`` (part 1, or part 2 when the
shared data is absent).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sceneanatomy.analysis import nlp as nlp_backend
from sceneanatomy.analysis.characters import find_characters
from sceneanatomy.readers import read_bytes, read_path


def shared_dir() -> Path | None:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir():
            return c
    return None


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return min(times), out


NAMES = ["Han Seo Jun", "Im Ju Gyeong", "Lee Suho", "Kang Min-ji", "Park Dae-ho", "Choi Yu-na"]
VERBS = ["smiles at", "walks past", "looks at", "argues with", "hugs", "ignores", "waits for"]
TAILS = [
    "and the room goes quiet.",
    "while the rain keeps falling on the roof.",
    "before anyone can say a word.",
    "as the camera lingers on the door.",
]


def generated_prose(paragraphs: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    out = ["A Long Recap of Many Episodes", ""]
    for i in range(paragraphs):
        a, b = rnd.sample(NAMES, 2)
        short = b.split()[-1]
        sents = [
            f"In episode {i % 16 + 1}, {a} {rnd.choice(VERBS)} {b} {rnd.choice(TAILS)}",
            f"{short} {rnd.choice(['sighs', 'laughs', 'frowns', 'blushes'])}, and "
            f"{rnd.choice(['she', 'he'])} turns away.",
            f"The director calls a break. {a.split()[-1]} is confused.",
        ]
        out.append(" ".join(sents))
        out.append("")
    return "\n".join(out).encode()


def generated_srt(cues: int, seed: int = 11) -> bytes:
    rnd = random.Random(seed)
    speakers = ["HYE-WON", "MIN-JAE", "SEO JUN", "JU GYEONG"]
    lines = []
    t = 0.0
    for i in range(cues):
        a = rnd.choice(speakers)
        b = rnd.choice([s for s in speakers if s != a]).title()
        start, end = t, t + 2.5
        t += rnd.choice([3.0, 3.5, 9.0])

        def ts(x: float) -> str:
            ms = int(round(x * 1000))
            return (
                f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
            )

        text = rnd.choice(
            [f"{b}-ya, wait!", f"I told you, {b}.", "Why are you here?", "Let's go home."]
        )
        lines.append(f"{i + 1}\n{ts(start)} --> {ts(end)}\n{a}: {text}\n")
    return "\n".join(lines).encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paragraphs", type=int, default=3000)
    ap.add_argument("--cues", type=int, default=6000)
    ap.add_argument("--no-pipeline", action="store_true", help="skip part 4")
    args = ap.parse_args()
    last = ""

    # 2. generated inputs (always)
    for label, data, fmt in (
        ("generated prose", generated_prose(args.paragraphs), "prose"),
        ("generated srt", generated_srt(args.cues), "srt"),
    ):
        read_bytes(data, fmt=fmt)
        parse_s, doc = best(lambda d=data, f=fmt: read_bytes(d, fmt=f), args.repeat)
        chars_s = min(
            best(lambda d=data, f=fmt: find_characters(read_bytes(d, fmt=f), "rules"), 1)[0]
            - best(lambda d=data, f=fmt: read_bytes(d, fmt=f), 1)[0]
            for _ in range(args.repeat)
        )
        chars_s = max(chars_s, 0.0)
        print(
            f"{label:17} bytes={len(data):8d} parse_s={parse_s:.3f} characters_s={chars_s:.3f} "
            f"overhead={chars_s / parse_s:.2f} characters={len(find_characters(doc, 'rules').characters)}"
        )
        last = f"characters_speed: parse_s={parse_s:.3f} characters_s={chars_s:.3f} overhead={chars_s / parse_s:.2f}"

    # 3. spaCy against plain nlp.pipe
    if nlp_backend.available():
        data = generated_prose(max(200, args.paragraphs // 10))
        doc = read_bytes(data, fmt="prose")
        texts = [e.text for e in doc.elements() if e.kind.value == "narration"]
        nlp = nlp_backend.load()
        list(nlp.pipe(texts[:20]))
        # best of --repeat each, the two interleaved (the document is read outside the timing)
        pipe_times: list[float] = []
        spacy_times: list[float] = []
        sentences = 0
        # the same settings as the stage's own call (nlp.analyse): batch size, BLAS threads
        batch = getattr(nlp_backend, "BATCH_SIZE", 64)
        blas = getattr(nlp_backend, "one_blas_thread", contextlib.nullcontext)
        for _ in range(args.repeat):
            t = time.process_time()
            with blas():
                sentences = sum(sum(1 for _ in d.sents) for d in nlp.pipe(texts, batch_size=batch))
            pipe_times.append(time.process_time() - t)
            fresh = read_bytes(data, fmt="prose")
            t = time.process_time()
            find_characters(fresh, "spacy")
            spacy_times.append(time.process_time() - t)
        pipe_s, spacy_s = min(pipe_times), min(spacy_times)
        print(
            f"spacy             sentences={sentences} nlp.pipe={sentences / pipe_s:.0f} sent/s "
            f"find_characters(spacy)={sentences / spacy_s:.0f} sent/s "
            f"ratio={pipe_s / spacy_s:.2f}"
        )
    else:
        print("spacy             skipped (install the 'nlp' extra)")

    # 1. the 15 screenplays
    shared = shared_dir()
    if shared is not None:
        folder = shared / "eval" / "narrative" / "tripod" / "screenplays_test"
        files = sorted(folder.glob("*_script.txt"))
        for p in files[:2]:
            find_characters(read_path(p), "rules")  # warm-up: imports, regex compilation
        parse_total = chars_total = first_total = 0.0
        for p in files:
            parse_s, _ = best(lambda p=p: read_path(p), args.repeat)
            docs = [read_path(p) for _ in range(args.repeat)]
            runs = [best(lambda d=d: find_characters(d, "rules"), 1)[0] for d in docs]
            parse_total += parse_s
            chars_total += min(runs)
            first_total += runs[0]
        overhead = chars_total / parse_total
        print(
            f"screenplays       files={len(files)} parse_s={parse_total:.3f} characters_s={chars_total:.3f} "
            f"overhead={overhead:.2f} characters_first_s={first_total:.3f} "
            f"overhead_first={first_total / parse_total:.2f}"
        )
        last = f"characters_speed: parse_s={parse_total:.3f} characters_s={chars_total:.3f} overhead={overhead:.2f}"

        # 4. the whole who-is-who preset, stage by stage
        if not args.no_pipeline:
            from sceneanatomy.pipeline import STAGES, WHO_IS_WHO, Options, run, stage_names

            upto = stage_names().index(WHO_IS_WHO) + 1
            opts = Options(nlp="rules")
            per_stage = dict.fromkeys(stage_names()[:upto], 0.0)
            parse_total = 0.0
            gc.disable()  # as the command does while it reads and analyses a file
            for p in files:
                t = time.process_time()
                doc = read_path(p)
                parse_total += time.process_time() - t
                run(doc, options=opts, stages=STAGES[:upto], timings=per_stage)
                del doc
                gc.enable()
                gc.collect()  # between files, outside the timings
                gc.disable()
            gc.enable()
            stages_s = sum(per_stage.values())
            print("who_is_who stages " + " ".join(f"{k}={v:.3f}" for k, v in per_stage.items()))
            print(
                f"who_is_who: parse_s={parse_total:.3f} stages_s={stages_s:.3f} "
                f"overhead={stages_s / parse_total:.2f}"
            )
    print(last)
    return 0


if __name__ == "__main__":
    sys.exit(main())
