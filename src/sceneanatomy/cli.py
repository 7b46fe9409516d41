"""The ``scene-anatomy`` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ParseError
from .model import Document
from .readers import FORMATS, ReadOptions, read_path

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70

FORMAT_CHOICE = click.Choice(sorted(FORMATS))


def _echo_warnings(doc: Document) -> None:
    for w in doc.warnings:
        where = f"{doc.path}:{w.line}" if w.line else f"{doc.path}"
        click.echo(f"warning: {where}: {w.message}", err=True)


@contextmanager
def _guard(path: str) -> Iterator[None]:
    """Turn every failure into one ``error:`` line and a non-zero exit, never a traceback."""
    try:
        yield
    except ParseError as exc:
        click.echo(exc.with_path(path).one_line(), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback, ever
        msg = " ".join(str(exc).split()) or type(exc).__name__
        click.echo(f"error: {path}: internal error ({type(exc).__name__}): {msg}", err=True)
        sys.exit(EXIT_INTERNAL)


def _load(path: str, fmt: str | None, encoding: str | None, scene_gap: float | None) -> Document:
    options = ReadOptions(encoding=encoding)
    if scene_gap is not None:
        options.scene_gap_seconds = scene_gap
    doc = read_path(path, fmt, options)
    _echo_warnings(doc)
    return doc


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--input-format",
        "fmt",
        type=FORMAT_CHOICE,
        default=None,
        help="Force the input format instead of sniffing it from the content.",
    )(func)
    func = click.option(
        "--encoding",
        default=None,
        help="Force the text encoding (e.g. cp949) instead of detecting it.",
    )(func)
    func = click.option(
        "--scene-gap",
        type=float,
        default=None,
        help="Subtitles: a silence of this many seconds starts a new scene (default 6).",
    )(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scene-anatomy")
def cli() -> None:
    """Dissect drama scenes from screenplays, subtitles and recaps.

    Reads Fountain, Final Draft (.fdx), PDF and plain-text screenplays, SRT, WebVTT and
    ASS/SSA subtitles in any encoding, and prose recaps.
    """


@cli.command()
@click.argument("file", type=str)
@click.option(
    "--format", "out_format", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@input_options
def parse(
    file: str, out_format: str, fmt: str | None, encoding: str | None, scene_gap: float | None
) -> None:
    """Print the document model of FILE: scenes and their elements, with source spans."""
    with _guard(file):
        doc = _load(file, fmt, encoding, scene_gap)
        if out_format == "json":
            from .render.document import document_dict, to_json

            click.echo(to_json(document_dict(doc)))
        else:
            from .render.text import document_text

            click.echo(document_text(doc), nl=False)


@cli.command()
@click.argument("file", type=str)
@click.option(
    "--format", "out_format", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@input_options
def stats(
    file: str, out_format: str, fmt: str | None, encoding: str | None, scene_gap: float | None
) -> None:
    """Structural statistics of FILE: scenes, pages or running time, characters, locations."""
    with _guard(file):
        from .analysis.stats import compute_stats
        from .render.stats import stats_text

        doc = _load(file, fmt, encoding, scene_gap)
        st = compute_stats(doc)
        if out_format == "json":
            from .render.document import to_json

            click.echo(to_json(st))
        else:
            click.echo(stats_text(st), nl=False)


@cli.command()
@click.argument("file", type=str)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--nlp",
    type=click.Choice(["auto", "rules", "spacy"]),
    default="auto",
    show_default=True,
    help="Name finding: spaCy's English pipeline when installed (auto), or rules only.",
)
@input_options
def characters(
    file: str,
    out_format: str,
    nlp: str,
    fmt: str | None,
    encoding: str | None,
    scene_gap: float | None,
) -> None:
    """The characters of FILE: aliases merged, actors, gender, role, lines, scenes."""
    from .analysis import nlp as nlp_backend

    if nlp == "spacy" and not nlp_backend.available():
        raise click.UsageError(
            f"--nlp spacy needs spaCy and {nlp_backend.MODEL}: pip install 'scene-anatomy[nlp]'"
        )
    with _guard(file):
        from .analysis.characters import find_characters
        from .render.characters import characters_dict, characters_table

        doc = _load(file, fmt, encoding, scene_gap)
        find_characters(doc, nlp)
        if out_format == "json":
            from .render.document import to_json

            click.echo(to_json(characters_dict(doc)))
        else:
            click.echo(characters_table(doc), nl=False)


def example_paths() -> list[Path]:
    root = resources.files("sceneanatomy") / "examples"
    return sorted(
        Path(str(p)) for p in root.iterdir() if p.is_file() and not p.name.startswith(("_", "."))
    )


@cli.command()
def demo() -> None:
    """Run scene-anatomy on its bundled examples (a screenplay, subtitles and a recap)."""
    from rich.console import Console
    from rich.progress import Progress

    from .analysis.stats import compute_stats
    from .render.stats import stats_text

    console = Console(stderr=True)
    paths = example_paths()
    results: list[tuple[Path, str]] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("reading examples", total=len(paths))
        for p in paths:
            with _guard(str(p)):
                doc = read_path(p)
                results.append((p, stats_text(compute_stats(doc))))
            progress.advance(task)
    for p, text in results:
        click.echo(f"### {p.name}")
        click.echo(text)


def main() -> None:
    cli(prog_name="scene-anatomy")


if __name__ == "__main__":  # pragma: no cover
    main()
