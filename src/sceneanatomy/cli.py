"""The ``scene-anatomy`` command line."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import ParseError
from .model import Document
from .readers import FORMATS, ReadOptions, read_path

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70

FORMAT_CHOICE = click.Choice(sorted(FORMATS))


def _echo_warnings(doc: Document, start: int = 0) -> None:
    """Print ``doc.warnings[start:]`` on standard error, one ``warning:`` line each."""
    for w in doc.warnings[start:]:
        where = f"{doc.path}:{w.line}" if w.line else f"{doc.path}"
        click.echo(f"warning: {where}: {w.message}", err=True)


def _internal_error(path: str, exc: Exception) -> NoReturn:
    """One ``error: PATH: internal error (Type): message`` line, then exit 70."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    click.echo(f"error: {path}: internal error ({type(exc).__name__}): {msg}", err=True)
    sys.exit(EXIT_INTERNAL)


@contextmanager
def _guard(path: str) -> Iterator[None]:
    """Turn every failure into one ``error:`` line and a non-zero exit, never a traceback.

    Cyclic garbage collection is paused meanwhile: a command reads, analyses and renders
    one document in a short-lived process, and full collections re-walking the annotated
    document would cost it more than the garbage they could free (see pipeline.run).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    except ParseError as exc:
        click.echo(exc.with_path(path).one_line(), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback, ever
        _internal_error(path, exc)
    finally:
        if paused:
            gc.enable()


def _load(path: str, fmt: str | None, encoding: str | None, scene_gap: float | None) -> Document:
    options = ReadOptions(encoding=encoding)
    if scene_gap is not None:
        options.scene_gap_seconds = scene_gap
    doc = read_path(path, fmt, options)
    _echo_warnings(doc)
    return doc


def emotion_model_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--emotion-model",
        "emotion_model",
        default=None,
        metavar="PATH",
        help="An emotion model trained with `scene-anatomy train` (its --out directory) "
        "for spoken lines, instead of the shipped one.",
    )(func)


def _user_classifier(path: str | None) -> Any:
    """The classifier of ``--emotion-model PATH`` (None without it); a file that is not a
    model is one error line and exit 2."""
    if path is None:
        return None
    from .analysis.emotion import ModelFileError, user_classifier

    try:
        return user_classifier(path)
    except ModelFileError as exc:
        click.echo(f"error: {path}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


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


_NLP_HELP = {
    "auto": "Name finding: spaCy's English pipeline when installed (auto), or rules only.",
    "rules": "Name finding: rules only (default), spaCy's English pipeline, or auto.",
}


def nlp_option(
    default: str = "rules", *, check: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--nlp auto|rules|spacy`` option (name finding), shared by the analysis commands.

    With ``check``, the command's body starts by checking that ``--nlp spacy`` can be had (a
    usage error naming the extra to install otherwise).
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        checked = func
        if check:

            @functools.wraps(func)
            def checked(*args: Any, **kwargs: Any) -> Any:
                _require_nlp(kwargs["nlp"])
                return func(*args, **kwargs)

        return click.option(
            "--nlp",
            type=click.Choice(["auto", "rules", "spacy"]),
            default=default,
            show_default=True,
            help=_NLP_HELP[default],
        )(checked)

    return decorate


def _require_nlp(nlp: str) -> None:
    from .analysis import nlp as nlp_backend

    if nlp == "spacy" and not nlp_backend.available():
        raise click.UsageError(
            f"--nlp spacy needs spaCy and {nlp_backend.MODEL}: pip install 'scene-anatomy[nlp]'"
        )


# SCENE_ANATOMY_PROGRESS=1 forces the progress display on (0 forces it off); by default it
# shows when stderr is a terminal.
PROGRESS_ENV = "SCENE_ANATOMY_PROGRESS"


def _progress_mode() -> bool | None:
    """True: forced on; False: off; None: on when stderr is a terminal."""
    value = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if not value:
        return None
    return value not in ("0", "no", "false", "off")


@contextmanager
def _analysis_progress(files: list[str]) -> Iterator[Callable[[str], Any] | None]:
    """A rich progress display on stderr for analysis runs: one bar for the pipeline's
    stages of the file being analysed, and one for the files when there are several.

    Yields ``start(file)``, which returns the pipeline ``progress`` callback for that file
    (see :func:`sceneanatomy.pipeline.run`), or None when there is no display (stderr is not
    a terminal, or SCENE_ANATOMY_PROGRESS=0). Nothing goes to stdout: what the commands print
    is the same with or without it.
    """
    mode = _progress_mode()
    if mode is False or (mode is None and not sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, force_terminal=True if mode else None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bars:
        files_task = bars.add_task("files", total=len(files)) if len(files) > 1 else None
        stage_task = bars.add_task("reading", total=None)
        done = 0

        def start(file: str) -> Callable[[str, int, int], None]:
            nonlocal done
            name = Path(file).name
            bars.reset(stage_task, total=None, description=f"{name}: reading")

            def stage(step: str, completed: int, total: int) -> None:
                nonlocal done
                label = f"{name}: {step}" if step else f"{name}: done"
                bars.update(stage_task, total=total, completed=completed, description=label)
                if not step and files_task is not None:
                    done += 1
                    bars.update(files_task, completed=done)

            return stage

        yield start


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
@nlp_option("auto")
@input_options
def characters(
    file: str,
    out_format: str,
    nlp: str,
    fmt: str | None,
    encoding: str | None,
    scene_gap: float | None,
) -> None:
    """The characters of FILE: aliases merged, actors, gender, role, lines, scenes.

    Runs the pipeline's "ledger" preset (sceneanatomy.pipeline: who is who, then the love
    line, which decides the lead and second-lead roles): also the speaker and addressee of
    every spoken line, with rules, confidences and evidence ("lines" in the JSON), and the
    conversation statistics ("conversation").
    """
    with _guard(file), _analysis_progress([file]) as start:
        from .pipeline import run
        from .render.characters import characters_dict, characters_table
        from .render.conversation import conversation_table, lines_list

        progress = start(file) if start else None
        doc = _load(file, fmt, encoding, scene_gap)
        run(doc, preset="ledger", nlp=nlp, progress=progress)
        if out_format == "json":
            from .render.document import to_json

            data = characters_dict(doc)
            data["lines"] = lines_list(doc)
            data["conversation"] = doc.attrs["conversation"]
            click.echo(to_json(data))
        else:
            click.echo(characters_table(doc) + "\n" + conversation_table(doc), nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=str)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@nlp_option("rules")
@input_options
def ledger(
    files: tuple[str, ...],
    out_format: str,
    nlp: str,
    fmt: str | None,
    encoding: str | None,
    scene_gap: float | None,
) -> None:
    """The relationship ledger of FILE...: who feels what for whom, with evidence.

    Several files are several episodes of one drama: ordered by their episode number when
    every file knows it, else as given; characters are merged across files by alias.
    """
    from .analysis.relationships import ledger_series, series_of
    from .pipeline import run
    from .render.ledger import ledger_dict, ledger_table

    docs = []
    with _analysis_progress(list(files)) as start:
        for file in files:
            with _guard(file):
                progress = start(file) if start else None
                doc = _load(file, fmt, encoding, scene_gap)
                docs.append(run(doc, preset="ledger", nlp=nlp, progress=progress))
    with _guard(files[0]):
        result = series_of(docs[0]) if len(docs) == 1 else ledger_series(docs)
        if out_format == "json":
            from .render.document import to_json

            click.echo(to_json(ledger_dict(result)))
        else:
            click.echo(ledger_table(result), nl=False)


@cli.command()
@click.argument("file", type=str)
@click.option(
    "--scene",
    default=None,
    help="Scene number (1-based) or id (s3). Default: the whole document "
    "(a one-scene document gets its scene article).",
)
@click.option("-o", "--output", default=None, help="Write the report here (default: stdout).")
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["html", "markdown", "text"]),
    default="html",
    show_default=True,
)
@click.option(
    "--video-url",
    default=None,
    help="Timed sources: add a 'watch the scene' link to this video at the scene's time.",
)
@click.option("--url", "page_url", default=None, help="The page's public URL, for share links.")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
@nlp_option("rules", check=False)
@emotion_model_option
@input_options
def report(
    file: str,
    scene: str | None,
    output: str | None,
    out_format: str,
    video_url: str | None,
    page_url: str | None,
    force: bool,
    nlp: str,
    emotion_model: str | None,
    fmt: str | None,
    encoding: str | None,
    scene_gap: float | None,
) -> None:
    """The anatomy of FILE as an article: one self-contained HTML page (or Markdown, or text).

    FILE is a source (screenplay, subtitles, recap) or the JSON of `analyze --format json`.
    Every claim links to the source line it rests on; see docs/report.md.
    """
    from .render.report import build_article, render_article
    from .render.report.command import load_anatomy, write_new
    from .render.report.furniture import check_url

    for option, value in (("--video-url", video_url), ("--url", page_url)):
        if value is not None:
            try:
                check_url(value, option)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=option) from None
    if output is not None and Path(output).exists() and not force:
        click.echo(f"error: {output}: already exists; use --force", err=True)
        sys.exit(EXIT_BAD_INPUT)
    classifier = _user_classifier(emotion_model)
    with _guard(file), _analysis_progress([file]) as start:
        from .pipeline import analyse, reporting_progress

        def analysed() -> Document:
            _require_nlp(nlp)  # a source to analyse (the analysis JSON needs no nlp)
            doc = _load(file, fmt, encoding, scene_gap)
            seen = len(doc.warnings)
            with reporting_progress(start(file) if start else None):
                analyse(doc, whole=scene is None, nlp=nlp, classifier=classifier)
            _echo_warnings(doc, seen)
            return doc

        data = load_anatomy(file, analysed)
        try:
            article = build_article(data, scene, page_url=page_url, video_url=video_url)
        except LookupError as exc:
            click.echo(f"error: {file}: {exc.args[0]}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        color = out_format == "text" and output is None and sys.stdout.isatty()
        text = render_article(article, out_format, color=color)
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                write_new(output, text, force)
            except FileExistsError:
                click.echo(f"error: {output}: already exists; use --force", err=True)
                sys.exit(EXIT_BAD_INPUT)


@cli.command()
@click.argument("file", type=str)
@click.option("--scene", "scene_no", type=int, default=None, help="Only scene N (1-based).")
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["json", "markdown", "text"]),
    default="text",
    show_default=True,
)
@nlp_option("rules")
@click.option(
    "--parse/--no-parse",
    default=False,
    help="Grammatical roles from spaCy's dependency parse (needs the nlp extra).",
)
@click.option(
    "--embeddings/--no-embeddings",
    default=False,
    help="Sentence embeddings (packaged MiniLM) as a beat-boundary signal.",
)
@emotion_model_option
@input_options
def analyze(
    file: str,
    scene_no: int | None,
    out_format: str,
    nlp: str,
    parse: bool,
    embeddings: bool,
    emotion_model: str | None,
    fmt: str | None,
    encoding: str | None,
    scene_gap: float | None,
) -> None:
    """The anatomy of every scene of FILE: emotions, beats, value, turn, key line, wants,
    outcomes, arcs (JSON: the "scene-anatomy/1" contract)."""
    classifier = _user_classifier(emotion_model)
    with _guard(file), _analysis_progress([file]) as start:
        from .pipeline import run
        from .render.anatomy import anatomy_dict

        progress = start(file) if start else None
        doc = _load(file, fmt, encoding, scene_gap)
        if scene_no is not None and not 1 <= scene_no <= len(doc.scenes):
            click.echo(f"error: {file}: no scene {scene_no} (it has {len(doc.scenes)})", err=True)
            sys.exit(EXIT_BAD_INPUT)
        read_warnings = len(doc.warnings)
        run(
            doc,
            preset="anatomy",
            nlp=nlp,
            parse=parse,
            embeddings=embeddings,
            classifier=classifier,
            progress=progress,
        )
        _echo_warnings(doc, read_warnings)
        data = anatomy_dict(doc, None if scene_no is None else scene_no - 1)
        if out_format == "json":
            from .render.document import to_json

            click.echo(to_json(data))
        elif out_format == "markdown":
            from .render.markdown import anatomy_markdown

            click.echo(anatomy_markdown(data), nl=False)
        else:
            from .render.markdown import anatomy_text

            click.echo(anatomy_text(data), nl=False)


def example_paths() -> list[Path]:
    root = resources.files("sceneanatomy") / "examples"
    return sorted(
        Path(str(p)) for p in root.iterdir() if p.is_file() and not p.name.startswith(("_", "."))
    )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default=None,
    help="Also write each example's HTML report into this folder (existing files are kept).",
)
def demo(out_dir: str | None) -> None:
    """Analyse the bundled examples (a screenplay, subtitles and a recap) end to end."""
    from rich.console import Console
    from rich.progress import Progress

    from .pipeline import run
    from .render.anatomy import anatomy_dict
    from .render.markdown import anatomy_text

    console = Console(stderr=True)
    paths = example_paths()
    results: list[tuple[Path, str]] = []
    written: list[str] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("analysing examples", total=len(paths))
        for p in paths:
            with _guard(str(p)):
                doc = read_path(p)
                run(doc, preset="anatomy", nlp="rules")
                data = anatomy_dict(doc, None)
                results.append((p, anatomy_text(data)))
                if out_dir is not None:
                    written.append(_write_demo_report(p, data, Path(out_dir)))
            progress.advance(task)
    for p, text in results:
        click.echo(f"### {p.name}")
        click.echo(text)
    for line in written:
        click.echo(line)


def _write_demo_report(source: Path, data: dict[str, Any], out_dir: Path) -> str:
    from .render.report import build_article, render_article

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.name}.html"
    if target.exists():
        return f"kept existing {target} (not overwritten)"
    target.write_text(render_article(build_article(data, None), "html"), encoding="utf-8")
    return f"wrote {target}"


@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "data_format", required=True, type=click.Choice(["goemotions", "meld"]))
@click.option("--out", required=True, type=click.Path(file_okay=False))
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
def train(data: str, data_format: str, out: str, extra: tuple[str, ...]) -> None:
    """Train an emotion model on data you are entitled to use (needs the 'train' extra).

    Further options (--dev, --embeddings, --context, --C, ...) are passed to
    `python -m sceneanatomy.emotion_model.train`. Use the result with
    `scene-anatomy analyze FILE --emotion-model OUT` (or `report`), or in Python with
    `sceneanatomy.analysis.emotion.load_model(OUT)`.
    """
    from .emotion_model.train import main as train_main

    try:
        code = train_main(["--data", data, "--format", data_format, "--out", out, *extra])
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one error line, never a traceback
        _internal_error(data, exc)
    if code:
        sys.exit(code)


def main() -> None:
    cli(prog_name="scene-anatomy")


if __name__ == "__main__":  # pragma: no cover
    main()
