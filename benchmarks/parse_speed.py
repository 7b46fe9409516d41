"""Parse speed: our readers against fountain-py and screenplain, in one run.

Inputs (read in place from ../shared/eval, never copied):

1. Fountain: every ``*.fountain`` sample in ``eval/formats``, joined with blank lines and
   repeated until the input is at least 5 MiB. Ours: ``read_bytes(data, fmt="fountain")``.
2. Plain text: the 15 screenplays ``eval/narrative/tripod/screenplays_test/*_script.txt``.
   Ours: ``read_bytes(data, fmt="screenplay-text")`` (skipped when that reader is missing).
   The peers read the same text as Fountain, which is what a user of theirs would do.

Peers: fountain-py (``fountain.FountainParser().parse(text)``) and screenplain
(``screenplain.parsers.fountain.parse(io.StringIO(text))``), given the decoded text (ours
gets the bytes and decodes them inside the timed call).

Method: every parser first parses each input once untimed (imports, compiled patterns). Then
``--repeat`` rounds; each round times every parser in turn over the whole input set, after a
``gc.collect()``, so a busy machine slows all of them alike. The clock is the process's CPU
time (``time.process_time``; ``--clock wall`` for ``time.perf_counter``): on a machine shared
with other jobs, CPU time is what a parser costs, wall time also counts waiting for a core.
Each parser's figure is its best round (the median is shown too); MB/s counts the input's
UTF-8 bytes; the ratio is ours over the faster peer.

Then the Character.fountain / Character.txt golden pair (wildwinter/fountain-tools) is run
through every parser and the lines that differ from the golden stream are reported.

Usage: ``python benchmarks/parse_speed.py [--repeat 7] [--mib 5] [--clock process|wall]``.
The last two lines are ``parse_speed_text: ours_mb_s=X best_peer_mb_s=Y ratio=Z`` for the
plain-text screenplays and ``parse_speed: ours_mb_s=X best_peer_mb_s=Y ratio=Z`` for the
Fountain input.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib.util
import io
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sceneanatomy.encoding import decode
from sceneanatomy.errors import ParseError
from sceneanatomy.model import ElementKind
from sceneanatomy.readers import read_bytes


def shared_dir() -> Path | None:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir():
            return c
    return None


# -- parsers --------------------------------------------------------------------------------


def ours(fmt: str) -> Callable[[bytes, str], Any]:
    def run(data: bytes, text: str) -> Any:
        return read_bytes(data, fmt=fmt)

    return run


def fountain_py(data: bytes, text: str) -> Any:
    import fountain

    return fountain.FountainParser().parse(text)


def screenplain(data: bytes, text: str) -> Any:
    from screenplain.parsers import fountain as sp

    return sp.parse(io.StringIO(text))


def peers() -> dict[str, Callable[[bytes, str], Any]]:
    found: dict[str, Callable[[bytes, str], Any]] = {}
    if importlib.util.find_spec("fountain"):
        found["fountain-py"] = fountain_py
    if importlib.util.find_spec("screenplain"):
        found["screenplain"] = screenplain
    return found


# -- timing ---------------------------------------------------------------------------------


def time_parsers(
    parsers: dict[str, Callable[[bytes, str], Any]],
    inputs: list[tuple[bytes, str]],
    repeat: int,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, list[float] | str]:
    """Seconds per round to parse all ``inputs``, per parser (or an error text).

    One untimed warm-up pass per parser, then ``repeat`` rounds that interleave the parsers.
    """
    times: dict[str, list[float] | str] = {name: [] for name in parsers}

    def one(name: str, parse: Callable[[bytes, str], Any]) -> float | None:
        gc.collect()
        start = clock()
        try:
            for data, text in inputs:
                parse(data, text)
        except Exception as exc:  # noqa: BLE001 - a peer failing is a result, not a crash
            times[name] = f"error: {type(exc).__name__}: {' '.join(str(exc).split())[:60]}"
            return None
        return clock() - start

    for name, parse in parsers.items():
        one(name, parse)
    for _ in range(repeat):
        for name, parse in parsers.items():
            rounds = times[name]
            if isinstance(rounds, str):
                continue
            elapsed = one(name, parse)
            if elapsed is not None:
                rounds.append(elapsed)
    return times


def best_of(rounds: list[float] | str) -> float | None:
    return min(rounds) if isinstance(rounds, list) and rounds else None


def mb_s(size: int, seconds: float | None) -> float | None:
    return size / 1e6 / seconds if seconds else None


def print_table(title: str, size: int, results: dict[str, list[float] | str]) -> None:
    print(f"\n{title}: {size / 1e6:.2f} MB")
    print(f"  {'parser':<14} {'best s':>9} {'median s':>9} {'MB/s':>8}")
    for name, rounds in results.items():
        if isinstance(rounds, list) and rounds:
            best = min(rounds)
            med = statistics.median(rounds)
            print(f"  {name:<14} {best:>9.3f} {med:>9.3f} {size / 1e6 / best:>8.2f}")
        else:
            print(f"  {name:<14} {rounds}")


def summary(size: int, results: dict[str, list[float] | str]) -> tuple[float, float, float]:
    """(ours MB/s, faster peer MB/s, ratio) from the best rounds."""
    ours_mb = mb_s(size, best_of(results.get("ours", "n/a"))) or 0.0
    peer_mb = [m for n, r in results.items() if n != "ours" and (m := mb_s(size, best_of(r)))]
    best_peer = max(peer_mb) if peer_mb else 0.0
    ratio = ours_mb / best_peer if best_peer and ours_mb else float("nan")
    return ours_mb, best_peer, ratio


# -- inputs ---------------------------------------------------------------------------------


def fountain_input(formats: Path, mib: float) -> bytes:
    samples = [p.read_bytes() for p in sorted(formats.glob("*.fountain"))]
    unit = b"\n\n".join(samples)
    copies = max(1, -(-int(mib * 1024 * 1024) // len(unit)))
    return b"\n\n".join([unit] * copies)


def text_of(data: bytes) -> str:
    return decode(data).text


# -- the Character.txt golden pair through every parser ---------------------------------------

_CONTD = re.compile(r"\(CONT['’]?D\)", re.IGNORECASE)


def cue_line(name: str, extensions: list[str], dual: bool) -> str:
    shown = [x for x in extensions if not _CONTD.fullmatch(x)]
    line = f'CHARACTER:"{name}"'
    if shown:
        line += f' "{shown[0]}"'
    return line + (" (Dual)" if dual else "")


def split_cue(cue: str) -> tuple[str, list[str]]:
    p = cue.find("(")
    if p == -1:
        return cue.strip(), []
    return cue[:p].strip(), re.findall(r"\([^)]*\)", cue[p:])


def merge_actions(items: list[tuple[str, str]]) -> list[str]:
    """Consecutive actions as one, a blank line between (the golden file's convention)."""
    out: list[str] = []
    prev = ""
    for kind, line in items:
        if kind == "ACTION" and prev == "ACTION":
            out[-1] = out[-1][:-1] + "\n\n" + line[len('ACTION:"') :]
        else:
            out.append(line)
        prev = kind
    return out


def render_ours(text: str) -> list[str]:
    doc = read_bytes(text.encode("utf-8"), fmt="fountain")
    items = []
    prev = None
    for el in doc.elements():
        if el.kind is ElementKind.CHARACTER:
            exts = el.attrs.get("extensions_raw", [])
            line = cue_line(el.speaker or "", exts, el.attrs.get("dual") == "right")
            items.append(("CHARACTER", line))
        elif el.kind is ElementKind.ACTION and prev is not None and prev.kind is ElementKind.ACTION:
            gap = el.span.start_line - prev.span.end_line
            kind, last = items[-1]
            items[-1] = (kind, last[:-1] + "\n" * gap + el.text + '"')
            prev = el
            continue
        else:
            items.append((el.kind.name, f'{el.kind.name}:"{el.text}"'))
        prev = el
    return [line for _, line in items]


def render_fountain_py(text: str) -> list[str]:
    import fountain

    doc = fountain.FountainParser().parse(text)
    items: list[tuple[str, str]] = []

    def add(el: Any, dual: bool = False) -> None:
        kind = el.type.name
        if kind == "CHARACTER":
            ext = el.metadata.get("extension")
            exts = [f"({x})" for x in ext.split(") (")] if ext else []
            items.append(("CHARACTER", cue_line(el.text, exts, dual)))
        else:
            items.append((kind, f'{kind}:"{el.text}"'))

    for el in doc.elements:
        if el.type.name == "DUAL_DIALOGUE":
            add(el.metadata["left_character"])
            for d in el.metadata["left_dialogue"]:
                add(d)
            add(el.metadata["right_character"], True)
            for d in el.metadata["right_dialogue"]:
                add(d)
        else:
            add(el)
    return merge_actions(items)


def render_screenplain(text: str) -> list[str]:
    from screenplain.parsers import fountain as sp
    from screenplain.types import Action, Dialog, DualDialog

    items: list[tuple[str, str]] = []

    def dialog(d: Any, dual: bool = False) -> None:
        name, exts = split_cue(str(d.character))
        items.append(("CHARACTER", cue_line(name, exts, dual)))
        for is_paren, line in d.blocks:
            kind = "PARENTHETICAL" if is_paren else "DIALOGUE"
            items.append((kind, f'{kind}:"{line}"'))

    for p in sp.parse(io.StringIO(text)):
        if isinstance(p, DualDialog):
            dialog(p.left)
            dialog(p.right, True)
        elif isinstance(p, Dialog):
            dialog(p)
        elif isinstance(p, Action):
            body = "\n".join(str(x) for x in p.lines)
            items.append(("ACTION", f'ACTION:"{body}"'))
        else:
            items.append((type(p).__name__.upper(), f"{type(p).__name__.upper()}:..."))
    return merge_actions(items)


def golden_report(formats: Path) -> None:
    source, golden = formats / "Character.fountain", formats / "Character.txt"
    if not (source.is_file() and golden.is_file()):
        print("\nCharacter golden pair: not present, skipped")
        return
    text = source.read_text(encoding="utf-8")
    want = golden.read_text(encoding="utf-8").rstrip("\n").split("\n")
    print(f"\nCharacter.fountain vs Character.txt ({len(want)} golden lines):")
    renderers = {"ours": render_ours}
    if importlib.util.find_spec("fountain"):
        renderers["fountain-py"] = render_fountain_py
    if importlib.util.find_spec("screenplain"):
        renderers["screenplain"] = render_screenplain
    for name, render in renderers.items():
        try:
            got = "\n".join(render(text)).split("\n")
        except Exception as exc:  # noqa: BLE001
            print(f"  {name:<12} error: {type(exc).__name__}: {exc}")
            continue
        diff = [
            line
            for line in difflib.unified_diff(want, got, lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("---", "+++")
        ]
        if not diff:
            print(f"  {name:<12} PASS")
            continue
        print(f"  {name:<12} FAIL ({sum(1 for x in diff if x[0] == '-')} golden lines differ):")
        for line in diff[:12]:
            print(f"    {line}")


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed rounds per parser (best kept)")
    ap.add_argument("--mib", type=float, default=5.0, help="size of the Fountain input in MiB")
    ap.add_argument(
        "--clock",
        choices=["process", "wall"],
        default="process",
        help="CPU time of this process (default) or wall-clock time",
    )
    args = ap.parse_args(argv)
    clock = time.process_time if args.clock == "process" else time.perf_counter
    shared = shared_dir()
    if shared is None or not (shared / "eval" / "formats").is_dir():
        print("parse_speed: ../shared/eval is not present; nothing to measure (exit 0)")
        return 0
    formats = shared / "eval" / "formats"
    others = peers()
    print(
        f"peers: {', '.join(others) or 'none installed'}; "
        f"best of {args.repeat} interleaved rounds, {args.clock} time"
    )

    data = fountain_input(formats, args.mib)
    text = text_of(data)
    fountain_results = time_parsers(
        {"ours": ours("fountain"), **others}, [(data, text)], args.repeat, clock
    )
    print_table("Fountain input (the eval/formats samples, repeated)", len(data), fountain_results)
    fountain_line = summary(len(data), fountain_results)
    print(f"  ratio ours / best peer: {fountain_line[2]:.2f}")

    plain_dir = shared / "eval" / "narrative" / "tripod" / "screenplays_test"
    files = sorted(plain_dir.glob("*_script.txt")) if plain_dir.is_dir() else []
    text_line: tuple[float, float, float] | None = None
    if files:
        plain = [(b, text_of(b)) for b in (p.read_bytes() for p in files)]
        size = sum(len(t.encode("utf-8")) for _, t in plain)
        parsers: dict[str, Callable[[bytes, str], Any]] = {}
        note = ""
        if importlib.util.find_spec("sceneanatomy.readers.screenplay_text") is None:
            note = " (our screenplay-text reader is not there yet: peers only)"
        else:
            try:
                read_bytes(plain[0][0], fmt="screenplay-text")
                parsers["ours"] = ours("screenplay-text")
            except (ParseError, ImportError, AttributeError) as exc:
                note = f" (our screenplay-text reader failed: {exc}; peers only)"
        parsers.update(others)
        results = time_parsers(parsers, plain, args.repeat, clock)
        print_table(f"{len(files)} plain-text screenplays{note}", size, results)
        text_line = summary(size, results)
        print(f"  ratio ours / best peer: {text_line[2]:.2f}")
    else:
        print("\nplain-text screenplays: not present, skipped")

    golden_report(formats)

    if text_line is not None:
        ours_mb, best_peer, ratio = text_line
        print(
            f"parse_speed_text: ours_mb_s={ours_mb:.2f} best_peer_mb_s={best_peer:.2f} "
            f"ratio={ratio:.2f}"
        )
    ours_mb, best_peer, ratio = fountain_line
    print(f"parse_speed: ours_mb_s={ours_mb:.2f} best_peer_mb_s={best_peer:.2f} ratio={ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
