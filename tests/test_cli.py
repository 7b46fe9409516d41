"""End-to-end CLI behaviour: the commands, the examples, and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sceneanatomy.cli import cli, example_paths


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_help_everywhere() -> None:
    for cmd in ([], ["parse"], ["stats"], ["demo"]):
        code, out, _ = run(*cmd, "--help")
        assert code == 0
        assert "Usage:" in out


def test_examples_bundled() -> None:
    names = {p.name for p in example_paths()}
    assert {"sofa-scene.fountain", "rooftop-confession.srt", "photoshoot-recap.txt"} <= names


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_parse_examples_json(path: Path) -> None:
    code, out, err = run("parse", str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["source"]["format"] in {"fountain", "srt", "prose", "fdx", "pdf", "vtt", "ass"}
    assert data["scenes"], "every example has at least one scene"
    if data["source"]["format"] == "pdf":
        return
    # The reported encoding decodes the file to the text every span indexes.
    source = path.read_bytes().decode(data["source"]["encoding"])
    for scene in data["scenes"]:
        for el in scene["elements"]:
            s = el["span"]
            assert source[s["start_char"] : s["end_char"]] == s["text"]


def test_parse_is_deterministic() -> None:
    path = str(example_paths()[0])
    assert run("parse", path, "--format", "json")[1] == run("parse", path, "--format", "json")[1]


def test_parse_text_format() -> None:
    path = next(p for p in example_paths() if p.suffix == ".fountain")
    code, out, _ = run("parse", str(path))
    assert code == 0
    assert "scene_heading" in out and "INT. PHOTO STUDIO" in out


def test_korean_cp949_subtitles_detected() -> None:
    path = next(p for p in example_paths() if p.name.endswith(".ko.srt"))
    code, out, err = run("parse", str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["source"]["encoding"] == "cp949"
    texts = " ".join(e["text"] for s in data["scenes"] for e in s["elements"])
    assert "좋아해" in texts


def test_demo_runs() -> None:
    code, out, err = run("demo")
    assert code == 0, err
    for p in example_paths():
        assert p.name in out


def _error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("parse", str(tmp_path / "nope.srt"))
    assert code == 2
    assert _error_line(err) == f"error: {tmp_path / 'nope.srt'}: no such file"


def test_directory(tmp_path: Path) -> None:
    code, _, err = run("stats", str(tmp_path))
    assert code == 2
    assert _error_line(err) == f"error: {tmp_path}: is a directory, not a file"


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.fountain", b"", "empty"),
        ("blank.srt", b"\n\n  \n", "empty"),
        ("binary.srt", bytes(range(256)) * 8, "binary"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200), "PDF"),
        (
            "broken.fdx",
            b'<?xml version="1.0"?>\n<FinalDraft>\n<Content>\n<Paragraph Type="Action"><Text>Hi',
            "",
        ),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", ""),
    ],
)
def test_bad_input_one_line(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    for cmd in ("parse", "stats"):
        code, _, err = run(cmd, str(f))
        assert code == 2, err
        line = _error_line(err)
        assert line.startswith(f"error: {f}"), line
        assert fragment in line


def test_malformed_xml_names_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.fdx"
    f.write_text(
        '<?xml version="1.0"?>\n<FinalDraft>\n<Content>\n<Paragraph Type="Action">\n</Content>\n'
    )
    code, _, err = run("parse", str(f))
    assert code == 2
    line = _error_line(err)
    assert line.startswith(f"error: {f}:"), line
    assert line.split(":")[1].strip().isdigit() or line.split(":")[2].strip().isdigit()


def test_mostly_good_subtitles_warn(tmp_path: Path) -> None:
    f = tmp_path / "mostly.srt"
    f.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n"
        "2\n00:00:0X,000 --> garbage\nBroken timing.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nGoodbye.\n",
        encoding="utf-8",
    )
    code, out, err = run("parse", str(f), "--format", "json")
    assert code == 0, err
    assert "warning:" in err and str(f) in err
    data = json.loads(out)
    texts = [e["text"] for s in data["scenes"] for e in s["elements"]]
    assert "Hello." in texts and "Goodbye." in texts


def test_console_script_no_traceback(tmp_path: Path) -> None:
    f = tmp_path / "x.srt"
    f.write_bytes(b"\x00\x01\x02" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "sceneanatomy.cli", "parse", str(f)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: ")


# -- progress on stderr, never on stdout ------------------------------------------------------


def _run_env(args: list[str], progress: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"SCENE_ANATOMY_PROGRESS": progress})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "sofa-scene.fountain", "--format", "json"],
        ["characters", "sofa-scene.fountain", "--format", "json"],
        ["ledger", "rooftop-confession.srt", "sofa-scene.fountain"],
        ["report", "sofa-scene.fountain", "--format", "markdown"],
    ],
    ids=lambda a: a[0],
)
def test_progress_leaves_stdout_alone(args: list[str]) -> None:
    examples = {p.name: str(p) for p in example_paths()}
    args = [examples.get(a, a) for a in args]
    code_off, out_off, err_off = _run_env(args, "0")
    code_on, out_on, err_on = _run_env(args, "1")
    assert code_off == code_on == 0, err_on
    assert out_on == out_off and out_off.strip()
    assert err_off == ""
    assert "sofa-scene.fountain" in err_on  # the display was drawn, on stderr
    if args[0] == "analyze":
        json.loads(out_on)


def test_progress_is_off_without_a_terminal() -> None:
    path = str(next(p for p in example_paths() if p.name == "sofa-scene.fountain"))
    result = CliRunner().invoke(cli, ["characters", path])  # (stderr is not a terminal)
    assert result.exit_code == 0 and result.stderr == ""


def test_progress_with_an_error_keeps_the_one_error_line() -> None:
    code, out, err = _run_env(["analyze", "no/such/file.fountain"], "1")
    assert code == 2 and out == ""
    lines = [ln for ln in err.splitlines() if "error:" in ln]
    assert len(lines) == 1 and lines[0].endswith("error: no/such/file.fountain: no such file")


def test_pipeline_reports_its_stages() -> None:
    from sceneanatomy import pipeline
    from sceneanatomy.readers import read_path

    path = next(p for p in example_paths() if p.name == "sofa-scene.fountain")
    seen: list[tuple[str, int, int]] = []
    pipeline.run(
        read_path(path), preset="who_is_who", nlp="rules", progress=lambda *a: seen.append(a)
    )
    names = pipeline.stage_names()[: len(seen) - 1]
    assert seen == [(n, k, len(names)) for k, n in enumerate(names)] + [
        ("", len(names), len(names))
    ]
    # the same through reporting_progress, for callers that do not pass it on
    again: list[tuple[str, int, int]] = []
    with pipeline.reporting_progress(lambda *a: again.append(a)):
        pipeline.run(read_path(path), preset="who_is_who", nlp="rules")
    assert again == seen


# -- the shared options -------------------------------------------------------------------------


def test_nlp_option_is_shared_and_unchanged() -> None:
    for cmd, default in (("characters", "auto"), ("ledger", "rules"), ("analyze", "rules")):
        code, out, _ = run(cmd, "--help")
        assert code == 0
        out = " ".join(out.split())
        assert "--nlp [auto|rules|spacy]" in out and f"[default: {default}]" in out
        for opt in ("--input-format", "--encoding", "--scene-gap"):
            assert opt in out


def test_nlp_spacy_without_spacy_is_a_usage_error() -> None:
    from sceneanatomy.analysis import nlp as nlp_backend

    if nlp_backend.available():
        pytest.skip("spaCy is installed here")
    path = str(next(p for p in example_paths() if p.name == "sofa-scene.fountain"))
    for cmd in ("characters", "ledger", "analyze"):
        code, _, err = run(cmd, path, "--nlp", "spacy")
        assert code == 2 and "--nlp spacy needs spaCy" in err


def test_report_nlp_spacy_without_spacy_is_a_usage_error_not_an_internal_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sceneanatomy.analysis import nlp as nlp_backend

    sofa = str(next(p for p in example_paths() if p.suffix == ".fountain"))
    # the analysis JSON needs no spaCy: made first, with spaCy's presence irrelevant
    analysis = tmp_path / "sofa.json"
    code, out, _ = run("analyze", sofa, "--format", "json")
    assert code == 0
    analysis.write_text(out, encoding="utf-8")
    monkeypatch.setattr(nlp_backend, "available", lambda: False)
    code, out, err = run("report", sofa, "--nlp", "spacy")
    assert code == 2 and out == ""
    assert "--nlp spacy needs spaCy" in err and "internal error" not in err
    code, out, err = run("report", str(analysis), "--nlp", "spacy", "--format", "text")
    assert code == 0 and out


def test_train_failure_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sceneanatomy.emotion_model.train as train_mod

    def boom(argv: list[str]) -> int:
        raise MemoryError("out of memory")

    monkeypatch.setattr(train_mod, "main", boom)
    data = tmp_path / "d.tsv"
    data.write_text("hello\t1\n")
    code, out, err = run("train", "--data", str(data), "--format", "goemotions", "--out", "o")
    assert code == 70 and out == ""
    assert err == f"error: {data}: internal error (MemoryError): out of memory\n"
