"""The anatomy report: article structure, evidence links, escaping, HTML validity,
Markdown and text parity, page furniture, graceful degradation and the CLI."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree as ET

import html5lib
import pytest
from click.testing import CliRunner

from sceneanatomy.cli import cli
from sceneanatomy.model import LineIndex
from sceneanatomy.pipeline import analyse
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.report import (
    anatomy_of,
    build_article,
    render_article,
    report,
)
from sceneanatomy.render.report.furniture import (
    display_time,
    parse_time,
    share_links,
    watch_url,
)
from sceneanatomy.render.report.phrasing import Phrasebook, load_phrases
from sceneanatomy.render.report.render import md_escape

ROOFTOP = """Title: The Rooftop
Author: scene-anatomy tests

INT. STAIRWELL - NIGHT

MIN-JAE waits on the landing. HYE-WON climbs up, out of breath.

HYE-WON
Why did you call me up here?

EXT. ROOFTOP - NIGHT

Wind. City lights. Min-jae faces her.

MIN-JAE
I like you, Hye-won. I have for a long time.

HYE-WON
(stepping back)
You're joking.

MIN-JAE
<script>alert(1)</script> I'm not joking.

Hye-won looks away toward the door.

HYE-WON
My heart belongs to someone else.

MIN-JAE
I know. I just needed you to say it.

He walks to the edge and does not look back.
"""

SCRIPT = "<script>alert(1)</script>"


def span_of(text: str, needle: str) -> dict[str, Any]:
    start = text.index(needle)
    return LineIndex(text).span(start, start + len(needle)).to_dict(text)


def full_anatomy() -> dict[str, Any]:
    """The real pipeline on ROOFTOP, with the dynamics a later stage will write filled in
    by hand (spans computed from the text), so every section of the article has data."""
    doc = analyse(read_bytes(ROOFTOP.encode(), fmt="fountain"), whole=False)
    data = anatomy_of(doc)
    t = ROOFTOP
    ids = {c["name"].lower(): c["id"] for c in data["characters"]}
    mj, hw = ids["min-jae"], ids["hye-won"]
    for c in data["characters"]:
        if c["id"] == mj:
            c["actors"] = ["Actor Kim"]
            c["role"] = "lead"
        if c["id"] == hw:
            c["role"] = "lead"
    data["source"]["episode"] = 4
    s2 = data["scenes"][1]
    beats = [
        ("setup", "Min-jae faces her in the wind.", "Wind. City lights. Min-jae faces her.", 0.2),
        ("escalation", "He confesses.", "I like you, Hye-won. I have for a long time.", 0.6),
        ("complication", f"She laughs it off {SCRIPT}", f"{SCRIPT} I'm not joking.", 0.5),
        ("turn", "She says her heart is taken.", "My heart belongs to someone else.", 0.9),
        ("resolution", "He walks away.", "He walks to the edge and does not look back.", 0.4),
    ]
    s2["anatomy"].update(
        {
            "setup": {
                "text": "Min-jae has asked Hye-won to meet him on the roof",
                "evidence": [span_of(t, "Why did you call me up here?")],
            },
            "wants": [
                {
                    "character": mj,
                    "want": "to tell her how he feels",
                    "achieved": True,
                    "evidence": [span_of(t, "I like you, Hye-won.")],
                },
                {
                    "character": hw,
                    "want": "to keep things as they are",
                    "achieved": None,
                    "evidence": [span_of(t, "You're joking.")],
                },
            ],
            "beats": [
                {
                    "index": i,
                    "function": fn,
                    "summary": summary,
                    "span": span_of(t, needle),
                    "tension": tension,
                    "emotions": {mj: {"love": tension}},
                }
                for i, (fn, summary, needle, tension) in enumerate(beats)
            ],
            "value": {"name": "hope", "start": "+", "end": "-"},
            "turning_point": {
                "beat": 3,
                "text": "Hye-won tells him her heart belongs to someone else",
                "evidence": [span_of(t, "My heart belongs to someone else.")],
            },
            "key_line": {
                "speaker": mj,
                "text": "I like you, Hye-won. I have for a long time.",
                "evidence": [span_of(t, "I like you, Hye-won. I have for a long time.")],
            },
            "outcome": [
                {
                    "character": mj,
                    "text": "he accepts her answer and walks away",
                    "charge": "-",
                    "evidence": [span_of(t, "He walks to the edge and does not look back.")],
                }
            ],
            "arcs": [
                {
                    "character": mj,
                    "start": "hopeful",
                    "end": "heartbroken",
                    "points": [
                        {"position": 0.0, "valence": 0.3, "emotion": "love"},
                        {"position": 0.4, "valence": 0.6, "emotion": "love"},
                        {"position": 0.75, "valence": -0.7, "emotion": "sadness"},
                        {"position": 1.0, "valence": -0.4, "emotion": "sadness"},
                    ],
                },
                {
                    "character": hw,
                    "start": "surprised",
                    "end": "sorry",
                    "points": [
                        {"position": 0.0, "valence": 0.0, "emotion": "surprise"},
                        {"position": 1.0, "valence": -0.2, "emotion": "sadness"},
                    ],
                },
            ],
        }
    )
    s2["anatomy"]["tropes"] = [
        {
            "id": "confession",
            "name": "confession",
            "variant": "straight",
            "consent_flag": False,
            "evidence": [span_of(t, "I like you, Hye-won.")],
        },
        {
            "id": "wrist-grab",
            "name": "wrist grab",
            "variant": "subverted",
            "consent_flag": True,
            "evidence": [span_of(t, "(stepping back)")],
        },
    ]
    data["relationships"] = [
        {
            "from": mj,
            "to": hw,
            "kind": "romantic",
            "requited": "no",
            "basis": "stated",
            "evidence": [span_of(t, "I like you, Hye-won.")],
        },
        {  # no evidence: must never be printed
            "from": hw,
            "to": mj,
            "kind": "rivalry",
            "requited": "unknown",
            "basis": "implied",
            "evidence": [],
        },
    ]
    data["turning_points"] = {
        "points": [
            {
                "name": "opportunity",
                "number": 1,
                "scene": "s1",
                "evidence": [span_of(t, "INT. STAIRWELL - NIGHT")],
            },
            {
                "name": "climax",
                "number": 5,
                "scene": "s2",
                "evidence": [span_of(t, "EXT. ROOFTOP - NIGHT")],
            },
        ]
    }
    return data


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return full_anatomy()


@pytest.fixture(scope="module")
def scene_html(data: dict[str, Any]) -> str:
    return report(data, 2, "html", page_url="https://example.org/a?b=1&c=2", video_url=None)


def tree(html: str) -> ET.Element:
    return html5lib.parse(html, namespaceHTMLElements=False)


SVG = "{http://www.w3.org/2000/svg}"


def svgs_of(root: ET.Element) -> list[ET.Element]:
    """The charts (not the legends' little swatches)."""
    return [s for s in root.iter(SVG + "svg") if "chart" in (s.get("class") or "").split()]


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


# ------------------------------------------------------------------------- structure


def test_html_is_valid_html5(scene_html: str, data: dict[str, Any]) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(scene_html)  # raises on any parse error
    doc_html = report(data, None, "html")
    parser.parse(doc_html)
    assert scene_html.startswith("<!DOCTYPE html>")


def test_semantic_structure(scene_html: str) -> None:
    root = tree(scene_html)
    assert len(root.findall(".//h1")) == 1
    assert root.find(".//meta[@name='viewport']") is not None
    html_el = root if root.tag == "html" else root.find(".//html")
    assert html_el is not None and html_el.get("lang") == "en"
    ids = [s.get("id") for s in root.iter("section")]
    for needed in (
        "setup",
        "cast",
        "wants",
        "beats",
        "key-line",
        "turn",
        "arcs",
        "outcome",
        "ledger",
        "tropes",
        "dialogue",
        "evidence",
    ):
        assert needed in ids, needed
    # every content section opens with an h2 and has something under it
    for sec in root.iter("section"):
        if sec.get("data-slot"):
            continue
        heads = [c for c in sec if c.tag in ("h2", "h3")]
        assert heads, sec.get("id")
        assert len(list(sec)) > 1, f"empty section {sec.get('id')}"
    h1 = text_of(root.find(".//h1"))
    assert h1.startswith("Anatomy of a scene")
    assert "hope" in h1  # the value that turns


def test_self_contained(scene_html: str) -> None:
    root = tree(scene_html)
    assert not root.findall(".//link[@rel='stylesheet']")
    assert all(s.get("src") is None for s in root.iter("script"))
    assert all(i.get("src") is None for i in root.iter("img"))
    assert (
        "@import" not in scene_html
        and "url(" not in scene_html.split("<style>")[1].split("</style>")[0]
    )
    # the only absolute links are the share links (no watch link was asked for)
    for a in root.iter("a"):
        href = a.get("href") or ""
        if not href.startswith("#"):
            assert a.get("data-network"), href
            assert urlsplit(href).hostname in ("www.facebook.com", "twitter.com", "wa.me")


def test_every_claim_links_to_existing_evidence(scene_html: str) -> None:
    root = tree(scene_html)
    targets = {li.get("id") for li in root.iter("li") if (li.get("id") or "").startswith("ev-")}
    links = [a.get("href")[1:] for a in root.iter("a") if (a.get("href") or "").startswith("#ev-")]
    assert links and targets
    assert set(links) == targets  # every link has a target, every quote is cited
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    # every claim span is followed by at least one evidence link
    for parent in root.iter():
        kids = list(parent)
        for i, k in enumerate(kids):
            if k.get("class") == "claim":
                assert i + 1 < len(kids) and kids[i + 1].get("class") == "ev", text_of(k)


def test_evidence_quotes_line_numbers_and_text(scene_html: str) -> None:
    root = tree(scene_html)
    ev = root.find(".//section[@id='evidence']")
    assert ev is not None
    items = ev.findall(".//li")
    quotes = [text_of(li.find(".//blockquote")) for li in items]
    assert "I like you, Hye-won. I have for a long time." in quotes
    wheres = [text_of(p) for p in ev.iter("p") if p.get("class") == "where"]
    line = ROOFTOP.splitlines().index("I like you, Hye-won. I have for a long time.") + 1
    assert f"line {line}" in wheres


def test_pull_quote_and_turn(scene_html: str) -> None:
    root = tree(scene_html)
    pull = root.find(".//figure[@class='pull']")
    assert pull is not None
    assert "I like you, Hye-won. I have for a long time." in text_of(pull)
    assert "Min-jae" in text_of(pull.find("figcaption"))
    turn = text_of(root.find(".//section[@id='turn']"))
    assert "beat 4" in turn.lower()  # the 4th beat (index 3) is the turning point
    assert "positive" in turn and "negative" in turn


def test_beats_in_order_with_functions(scene_html: str) -> None:
    root = tree(scene_html)
    ol = root.find(".//section[@id='beats']/ol")
    assert ol is not None
    items = ol.findall("li")
    assert len(items) == 5
    tags = [text_of(li.find("span")) for li in items]
    assert tags == ["setup", "escalation", "complication", "turn", "resolution"]


def test_charts_are_accessible_svg(scene_html: str) -> None:
    root = tree(scene_html)
    svgs = svgs_of(root)
    kinds = {s.get("class").split()[-1] for s in svgs}
    assert {"chart-tension", "chart-arcs", "chart-graph", "chart-dialogue"} <= kinds
    for s in svgs:
        assert s.get("role") == "img"
        assert re.fullmatch(r"0 0 \d+ [\d.]+", s.get("viewBox", ""))
        assert s.get("width") == "100%"
        labelled = (s.get("aria-labelledby") or "").split()
        assert len(labelled) == 2
        title, desc = s.find(SVG + "title"), s.find(SVG + "desc")
        assert title is not None and text_of(title)
        assert desc is not None and len(text_of(desc)) > 20
    # each chart's figure: the SVG, an HTML legend (it wraps at any width), a caption
    figures = [f for f in root.iter("figure") if f.get("class") == "chart"]
    assert len(figures) == len(svgs)
    for fig in figures:
        legend = fig.find("ul[@class='legend']")
        assert legend is not None and legend.get("aria-label", "").startswith("Legend")
        assert [text_of(li) for li in legend.findall("li")] and all(
            text_of(li) for li in legend.findall("li")
        )
        for sw in legend.iter(SVG + "svg"):
            assert sw.get("aria-hidden") == "true"
        assert text_of(fig.find("figcaption"))
    # chart text is classed so that the page's CSS can enlarge it on a phone
    for s in svgs:
        for t in s.iter(SVG + "text"):
            assert t.get("class") in ("tick", "axis-label", "name", "mark", "tp-num") or t.get(
                "fill"
            ), ET.tostring(t)
    tension = next(s for s in svgs if "chart-tension" in s.get("class"))
    assert "Turning point" in text_of(tension)
    assert "The turning point is beat 4" in text_of(tension.find(SVG + "desc"))
    assert "Tension" in text_of(tension)  # axis label
    arcs = next(s for s in svgs if "chart-arcs" in s.get("class"))
    assert len(arcs.findall(f".//{SVG}polyline")) == 2  # one line per character


def test_unsupported_claims_are_not_printed(scene_html: str, data: dict[str, Any]) -> None:
    assert "rival" not in scene_html  # the rivalry edge has no evidence
    d = copy.deepcopy(data)
    an = d["scenes"][1]["anatomy"]
    an["key_line"]["evidence"] = []
    an["outcome"][0]["evidence"] = []
    an["beats"][0]["span"] = None
    html = report(d, 2, "html")
    root = tree(html)
    assert root.find(".//figure[@class='pull']") is None
    assert root.find(".//section[@id='outcome']") is None
    assert len(root.findall(".//section[@id='beats']/ol/li")) == 4


def test_degrades_to_what_the_json_holds() -> None:
    bare = {
        "schema": "scene-anatomy/1",
        "source": {
            "path": "x.fountain",
            "format": "fountain",
            "encoding": "utf-8",
            "title": None,
            "episode": None,
        },
        "characters": [],
        "scenes": [
            {
                "id": "s1",
                "index": 0,
                "heading": None,
                "span": None,
                "characters": [],
                "anatomy": None,
            }
        ],
        "relationships": [],
        "warnings": [],
    }
    html = report(bare, None, "html")
    html5lib.HTMLParser(strict=True).parse(html)
    root = tree(html)
    assert text_of(root.find(".//h1"))
    sections = [s.get("id") for s in root.iter("section") if not s.get("data-slot")]
    assert sections == []  # nothing to say, nothing said
    assert not svgs_of(root)
    assert "#ev-" not in html
    # the text and Markdown forms degrade the same way
    assert "Evidence" not in report(bare, None, "markdown")
    assert report(bare, None, "text").strip()


# ------------------------------------------------------------------------- safety


def test_source_strings_are_escaped_everywhere(scene_html: str, data: dict[str, Any]) -> None:
    assert SCRIPT not in scene_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in scene_html
    root = tree(scene_html)
    assert len(list(root.iter("script"))) == 1  # our own share-link script only
    assert SCRIPT in text_of(root.find(".//section[@id='beats']"))  # shown as text
    md = report(data, 2, "markdown")
    assert "<script" not in md and "&lt;script&gt;" in md
    txt = report(data, 2, "text")
    assert SCRIPT in txt  # terminal text prints it literally


def test_hostile_names_and_titles(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    d["characters"][0]["name"] = '"><img src=x onerror=alert(1)>'
    d["source"]["title"] = "</title><script>alert(2)</script>"
    html = report(d, 2, "html")
    html5lib.HTMLParser(strict=True).parse(html)
    assert "<img" not in html and "<script>alert(2)" not in html
    md = report(d, 2, "markdown")
    assert "<img" not in md and "<script" not in md


def test_md_escape() -> None:
    assert md_escape("*bold* _it_ [x](y) <b>&") == r"\*bold\* \_it\_ \[x\](y) &lt;b&gt;&amp;"
    assert md_escape("# heading") == r"\# heading"
    assert md_escape("1. not a list") == r"1\. not a list"
    assert md_escape("line\nbreak") == "line break"


# ------------------------------------------------------------------------- formats


def test_markdown_and_text_carry_the_same_sentences(data: dict[str, Any]) -> None:
    article = build_article(data, 2)
    md = render_article(article, "markdown")
    txt = render_article(article, "text")
    flat_txt = " ".join(txt.split())
    sentences = article.sentences()
    assert len(sentences) >= 15
    for s in sentences:
        assert md_escape(s.text) in md, s.text
        assert " ".join(s.text.split()) in flat_txt, s.text
    # footnotes: every reference is defined, every definition referenced
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defs = set(re.findall(r"^\[\^(\d+)\]:", md, re.MULTILINE))
    assert refs == defs and refs
    assert md.startswith("# Anatomy of a scene")
    assert md.count("\n# ") == 0  # one top heading
    assert "\n## " in md


def test_text_is_plain_unless_colour_is_asked(data: dict[str, Any]) -> None:
    article = build_article(data, 2)
    assert "\x1b[" not in render_article(article, "text")
    assert "\x1b[" in render_article(article, "text", color=True)


def test_document_article(data: dict[str, Any]) -> None:
    html = report(data, None, "html")
    root = tree(html)
    ids = [s.get("id") for s in root.iter("section")]
    assert {"cast", "strip", "ledger", "scenes"} <= set(ids)
    strip = next(s for s in svgs_of(root) if "chart-strip" in s.get("class"))
    assert "Turning points" in text_of(strip.find(SVG + "desc"))
    assert "Opportunity" in text_of(root.find(".//section[@id='strip']"))
    assert root.find(".//table") is not None
    assert root.find(".//section[@id='scene-s2']/h3") is not None
    assert len(root.findall(".//h1")) == 1


# ------------------------------------------------------------------------- phrasing


def test_phrasing_is_deterministic_and_varies(data: dict[str, Any]) -> None:
    assert report(data, 2, "html") == report(data, 2, "html")
    heads = set()
    for k in range(12):
        d = copy.deepcopy(data)
        d["source"]["title"] = f"Drama {k}"
        heads.add(build_article(d, 2).headline.split(":", 1)[-1].split(" ")[1])
    assert len(heads) > 1  # different seeds choose different variants
    book = Phrasebook("seed")
    assert book.variant("title_turn") == Phrasebook("seed").variant("title_turn")


def test_phrases_file_is_well_formed() -> None:
    phrases = load_phrases()
    fields = re.compile(r"{(\w+)}")
    for slot, variants in phrases.items():
        for v in variants:
            names = fields.findall(v)
            v.format_map(dict.fromkeys(names, "x"))  # no stray braces
            assert v.strip() == v or v.startswith((" ", ",", ";")), slot


# ------------------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abc", "https://www.youtube.com/watch?v=abc&t=123s"),
        (
            "https://www.youtube.com/watch?v=abc&t=5&list=PL1",
            "https://www.youtube.com/watch?v=abc&list=PL1&t=123s",
        ),
        ("https://youtu.be/abc", "https://youtu.be/abc?t=123s"),
        ("https://youtu.be/abc?si=xyz#frag", "https://youtu.be/abc?si=xyz&t=123s#frag"),
        ("https://m.youtube.com/watch?v=abc&start=9", "https://m.youtube.com/watch?v=abc&t=123s"),
        ("https://vimeo.com/12345", "https://vimeo.com/12345#t=123s"),
        ("https://example.org/ep4.mp4", "https://example.org/ep4.mp4#t=123"),
        ("https://example.org/play?id=4#t=1", "https://example.org/play?id=4#t=123"),
    ],
)
def test_watch_url(url: str, expected: str) -> None:
    assert watch_url(url, 123.9) == expected


def test_times() -> None:
    assert parse_time("00:41:02.120") == pytest.approx(2462.12)
    assert display_time("00:41:02.120") == "41:02"
    assert display_time("01:02:03.000") == "1:02:03"
    assert parse_time("nonsense") is None and display_time(None) is None


def test_share_links_are_encoded() -> None:
    links = {
        s.network: s.href for s in share_links("https://ex.org/a?b=1&c=2", "Tom & Jerry: “hi”")
    }
    assert set(links) == {"facebook", "x", "whatsapp"}
    fb = parse_qs(urlsplit(links["facebook"]).query)
    assert fb["u"] == ["https://ex.org/a?b=1&c=2"]
    x = parse_qs(urlsplit(links["x"]).query)
    assert x["url"] == ["https://ex.org/a?b=1&c=2"] and x["text"] == ["Tom & Jerry: “hi”"]
    wa = parse_qs(urlsplit(links["whatsapp"]).query)
    assert wa["text"] == ["Tom & Jerry: “hi” https://ex.org/a?b=1&c=2"]
    assert "&c=2" not in links["facebook"]  # the page URL's own & is encoded
    assert unquote(share_links(None, "t")[0].href).endswith("u=#")


def test_furniture_in_the_page(scene_html: str) -> None:
    root = tree(scene_html)
    nav = root.find(".//nav[@class='share']")
    assert nav is not None and nav.get("data-url") == "https://example.org/a?b=1&c=2"
    assert {a.get("data-network") for a in nav.iter("a")} == {"facebook", "x", "whatsapp"}
    spoiler = text_of(root.find(".//p[@class='spoiler']"))
    assert "episode 4" in spoiler and "The Rooftop" in spoiler
    # the quiz and comments slots: visible, titled, and saying that they are empty
    for slot_id, title in (("quiz", "Related quiz"), ("comments", "Comments")):
        slot = root.find(f".//aside[@class='slots']/section[@id='{slot_id}']")
        assert slot is not None and slot.get("data-slot") == slot_id
        assert slot.get("data-state") == "empty" and slot.get("hidden") is None
        assert text_of(slot.find("h2")) == title
        assert slot.get("aria-labelledby") == slot.find("h2").get("id")
        note = slot.find("p[@class='slot-empty']")
        assert note is not None and text_of(note).startswith("Empty in this static report")
        assert "web app" in text_of(note)
        assert [c.tag for c in slot] == ["h2", "p"]  # nothing else: the app fills it
    assert root.find(".//p[@class='watch']") is None  # not timed, no video URL


def test_slots_in_markdown_and_text(data: dict[str, Any]) -> None:
    md = report(data, 2, "markdown")
    assert "\n## Related quiz\n\n*Empty in this static report" in md
    assert "\n## Comments\n\n*Empty in this static report" in md
    txt = report(data, 2, "text")
    assert "Related quiz" in txt and "Comments" in txt
    assert txt.count("Empty in this static report") == 2


def test_watch_link_for_timed_sources() -> None:
    srt = (
        "1\n00:41:02,120 --> 00:41:04,300\nMIN-JAE: Hye-won-ah, wait.\n\n"
        "2\n00:41:04,900 --> 00:41:07,450\nHYE-WON: I like you, Min-jae.\n"
    )
    doc = analyse(read_bytes(srt.encode(), fmt="srt"), whole=False)
    data = anatomy_of(doc)
    html = report(data, 1, "html", video_url="https://www.youtube.com/watch?v=abc")
    root = tree(html)
    watch = root.find(".//p[@class='watch']/a")
    assert watch is not None
    assert watch.get("href") == "https://www.youtube.com/watch?v=abc&t=2462s"
    assert "41:02" in text_of(watch)
    assert "41:02" in text_of(root.find(".//section[@id='evidence']"))  # timestamps quoted


# ------------------------------------------------------------------------- CLI


@pytest.fixture()
def rooftop(tmp_path: Path) -> Path:
    p = tmp_path / "rooftop.fountain"
    p.write_text(ROOFTOP, encoding="utf-8")
    return p


def test_cli_writes_and_refuses_to_overwrite(rooftop: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.html"
    r = runner.invoke(cli, ["report", str(rooftop), "--scene", "2", "-o", str(out)])
    assert r.exit_code == 0, r.output
    first = out.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(first)
    out.write_text("mine", encoding="utf-8")
    r = runner.invoke(cli, ["report", str(rooftop), "-o", str(out)])
    assert r.exit_code != 0
    assert r.output.strip() == f"error: {out}: already exists; use --force"
    assert out.read_text(encoding="utf-8") == "mine"
    r = runner.invoke(cli, ["report", str(rooftop), "--scene", "2", "-o", str(out), "--force"])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") == first


def test_cli_formats_and_errors(rooftop: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["report", str(rooftop), "--scene", "2", "--format", "markdown"])
    assert r.exit_code == 0 and r.output.startswith("# ")
    r = runner.invoke(cli, ["report", str(rooftop), "--scene", "s2", "--format", "text"])
    assert r.exit_code == 0 and "\x1b[" not in r.output and "Evidence" in r.output
    r = runner.invoke(cli, ["report", str(rooftop), "--scene", "9"])
    assert r.exit_code == 2 and r.output.strip().startswith(f"error: {rooftop}: no scene 9")
    r = runner.invoke(cli, ["report", str(rooftop), "--video-url", "javascript:alert(1)"])
    assert r.exit_code == 2 and "http" in r.output
    r = runner.invoke(cli, ["report", str(tmp_path / "missing.srt")])
    assert r.exit_code != 0 and r.output.startswith("error: ")


def test_cli_reads_the_analysis_json(tmp_path: Path, data: dict[str, Any]) -> None:
    p = tmp_path / "anatomy.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    r = CliRunner().invoke(cli, ["report", str(p), "--scene", "2"])
    assert r.exit_code == 0, r.output
    assert "I like you, Hye-won. I have for a long time." in r.output


def test_bundled_examples_render() -> None:
    from sceneanatomy.cli import example_paths

    parser = html5lib.HTMLParser(strict=True)
    for path in example_paths():
        doc = analyse(read_bytes(path.read_bytes(), path=str(path)), whole=False)
        data = anatomy_of(doc)
        for scene in [None, *range(1, len(data["scenes"]) + 1)]:
            html = report(data, scene, "html")
            parser.parse(html)
            root = tree(html)
            assert len(root.findall(".//h1")) == 1, path
            links = {
                a.get("href")[1:]
                for a in root.iter("a")
                if (a.get("href") or "").startswith("#ev-")
            }
            targets = {
                li.get("id") for li in root.iter("li") if (li.get("id") or "").startswith("ev-")
            }
            assert links == targets, path


# ------------------------------------------------------------------------- content


def test_cast_table_prints_unknown_roles_and_actors(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    hw = next(c for c in d["characters"] if c["name"].lower() == "hye-won")
    hw["role"] = "unknown"
    html = report(d, 2, "html")
    cast = tree(html).find(".//section[@id='cast']")
    assert cast is not None
    header = [text_of(th) for th in cast.findall(".//thead/tr/th")]
    assert header == ["Character", "Role", "Played by", "In the scene"]
    rows = {
        text_of(tr.find("th")).split("[")[0].strip(): [text_of(td) for td in tr.findall("td")]
        for tr in cast.findall(".//tbody/tr")
    }
    assert rows["Min-jae"] == ["lead", "Actor Kim", "speaks"]
    assert rows["Hye-won"] == ["unknown", "unknown", "speaks"]  # never an empty cell
    for tr in cast.findall(".//tbody/tr"):
        assert tr.find("th/a[@class='ev']") is not None  # each row cites the source
    # the whole document's cast table too
    doc = tree(report(d, None, "html")).find(".//section[@id='cast']//table")
    assert doc is not None
    cells = [text_of(td) for td in doc.iter("td")]
    assert "" not in cells and "unknown" in cells


def test_same_content_in_two_scenes_reads_differently(data: dict[str, Any]) -> None:
    """Two scenes with the same analysis do not get word-identical template sentences."""
    d = copy.deepcopy(data)
    twin = copy.deepcopy(d["scenes"][1])
    twin["id"], twin["index"] = "s3", 2
    d["scenes"].append(twin)
    a, b = build_article(d, 2), build_article(d, 3)
    sa, sb = [s.text for s in a.sentences()], [s.text for s in b.sentences()]
    assert len(sa) == len(sb) > 10
    differing = sum(x != y for x, y in zip(sa, sb, strict=True))
    assert differing >= len(sa) // 4, (differing, len(sa))
    titles_a = [s.title for s in a.sections]
    titles_b = [s.title for s in b.sections]
    # neighbouring scenes differ in every slot that has more than one variant
    assert all(x != y for x, y in zip(titles_a, titles_b, strict=True)), (titles_a, titles_b)
    assert a.headline != b.headline


def test_neighbouring_scenes_of_an_example_read_differently() -> None:
    from sceneanatomy.cli import example_paths

    path = next(p for p in example_paths() if p.name == "sofa-scene.fountain")
    data = anatomy_of(analyse(read_bytes(path.read_bytes(), path=str(path)), whole=False))
    one, two = build_article(data, 1), build_article(data, 2)
    shared = {s.id for s in one.sections} & {s.id for s in two.sections}
    assert len(shared) >= 5
    for sid in shared:
        t1 = next(s.title for s in one.sections if s.id == sid)
        t2 = next(s.title for s in two.sections if s.id == sid)
        assert t1 != t2, sid


def test_no_phrase_repeats_within_a_list(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    beats = d["scenes"][1]["anatomy"]["beats"]
    for b in beats:
        b["function"] = "escalation"
    article = build_article(d, 2)
    items = next(s for s in article.sections if s.id == "beats").blocks[0].sentences
    openers = [s.text.split(":")[0] for s in items]
    n = len(load_phrases()["beat_escalation"])
    assert len(set(openers[:n])) == n  # every variant before any repeats


def test_beat_phrases_do_not_repeat_the_tag() -> None:
    phrases = load_phrases()
    for fn in ("setup", "complication", "escalation", "turn", "climax", "resolution"):
        for v in phrases[f"beat_{fn}"]:
            assert fn not in v.lower(), v


def test_analysis_words_are_quoted_as_the_source_has_them(scene_html: str) -> None:
    turn = text_of(tree(scene_html).find(".//section[@id='turn']"))
    # the turning point's text is a paraphrase here: not put in quotation marks
    assert "“Hye-won tells him" not in turn
    d = full_anatomy()
    an = d["scenes"][1]["anatomy"]
    an["turning_point"]["text"] = "My heart belongs to someone else."
    an["outcome"][0]["text"] = "he walks to the edge"  # a clause cut from the source
    html = report(d, 2, "html")
    root = tree(html)
    assert "“My heart belongs to someone else.”" in text_of(root.find(".//section[@id='turn']"))
    assert "“he walks to the edge”" in text_of(root.find(".//section[@id='outcome']"))


def test_wants_that_are_lines_are_quoted_with_their_addressee(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    t = ROOFTOP
    mj = next(c["id"] for c in d["characters"] if c["name"].lower() == "min-jae")
    hw = next(c["id"] for c in d["characters"] if c["name"].lower() == "hye-won")
    d["scenes"][1]["anatomy"]["wants"] = [
        {
            "character": hw,
            "want": "You're joking.",
            "kind": "imperative",
            "target": mj,
            "achieved": False,
            "evidence": [span_of(t, "You're joking.")],
        },
        {  # narration: never presented as something said
            "character": mj,
            "want": "to tell her how he feels",
            "kind": "self",
            "achieved": None,
            "evidence": [span_of(t, "I like you, Hye-won.")],
        },
    ]
    wants = [s.text for s in build_article(d, 2).sections[2].blocks[0].sentences]
    assert "Min-jae" in wants[0] and "“You're joking.”" in wants[0]
    assert wants[0].split(". ")[-1][0].isupper()  # the "did not get it" sentence
    assert "“" not in wants[1]


def test_arc_that_does_not_move_is_not_a_change(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    arc = d["scenes"][1]["anatomy"]["arcs"][1]
    arc["start"] = arc["end"] = "sadness"
    text = " ".join(s.text for s in build_article(d, 2).sentences())
    assert "from sadness to sadness" not in text
    assert "sadness at first, sadness" not in text


def test_dialogue_tie_names_no_winner(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    for row in d["scenes"][1]["dialogue"]:
        row["words"] = 10
    text = " ".join(s.text for s in build_article(d, 2).sentences())
    assert "most words" not in text and "most of the talking" not in text
    assert "50%" in text


def test_ledger_merges_mutual_ties_and_drops_vague_duplicates(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    t = ROOFTOP
    mj = next(c["id"] for c in d["characters"] if c["name"].lower() == "min-jae")
    hw = next(c["id"] for c in d["characters"] if c["name"].lower() == "hye-won")
    ev = [span_of(t, "I like you, Hye-won.")]
    d["relationships"] = [
        {"from": mj, "to": hw, "kind": "platonic", "requited": "unknown", "basis": "stated",
         "evidence": ev},
        {"from": hw, "to": mj, "kind": "platonic", "requited": "unknown", "basis": "stated",
         "evidence": ev},
        {"from": mj, "to": hw, "kind": "other", "requited": "unknown", "basis": "implied",
         "evidence": ev},
    ]  # fmt: skip
    ledger = next(s for s in build_article(d, 2).sections if s.id == "ledger")
    lines = [s.text for s in ledger.blocks[0].sentences]
    assert lines == ["Min-jae and Hye-won are friends."]
    graph = ledger.blocks[1].chart
    assert graph is not None and graph.text_lines == ["Min-jae ↔ Hye-won: platonic, stated"]


def test_turning_points_are_numbered_once(data: dict[str, Any]) -> None:
    txt = report(data, None, "text")
    assert "1. Opportunity" in txt and "1. 1." not in txt
    html = report(data, None, "html")
    strip = tree(html).find(".//section[@id='strip']")
    assert strip is not None and strip.find(".//ol") is None  # numbers are in the text


def test_setting_reads_like_prose() -> None:
    text = """INT. PHOTO STUDIO - SOFA - CONTINUOUS

Ju Gyeong sits on the sofa.

JU GYEONG
It's my fault.
"""
    data = anatomy_of(analyse(read_bytes(text.encode(), fmt="fountain"), whole=False))
    setup = " ".join(s.text for s in build_article(data, 1).sentences())
    assert "Photo Studio, Sofa" in setup
    assert "continuous" not in setup.lower() and "straight on from the scene before" in setup


def test_subtitle_quotes_leave_out_cue_numbers_and_timings() -> None:
    srt = (
        "1\n00:41:02,120 --> 00:41:04,300\nMIN-JAE: Hye-won-ah, wait.\n\n"
        "2\n00:41:04,900 --> 00:41:07,450\nHYE-WON: I like you, Min-jae.\n"
    )
    data = anatomy_of(analyse(read_bytes(srt.encode(), fmt="srt"), whole=False))
    article = build_article(data, 1)
    assert article.evidence
    for e in article.evidence:
        assert "-->" not in e.quote and not any(ln.isdigit() for ln in e.quote.split("\n"))
    assert any(e.start_time for e in article.evidence)  # the times are shown beside


def test_long_documents_digest_only_their_key_scenes(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    base = d["scenes"][1]
    d["scenes"] = [d["scenes"][0]]
    for k in range(1, 20):
        sc = copy.deepcopy(base)
        sc["id"], sc["index"] = f"s{k + 1}", k
        if k % 5:
            sc["anatomy"]["turning_point"] = None
            sc["anatomy"]["value"] = {"name": "hope", "start": "+", "end": "+"}
        d["scenes"].append(sc)
    article = build_article(d, None)
    scenes = next(s for s in article.sections if s.id == "scenes")
    ids = [sub.id for sub in scenes.subsections]
    # the scenes that turn (s6, s11, s16) and the story's turning points (s1, s2)
    assert ids == ["scene-s1", "scene-s2", "scene-s6", "scene-s11", "scene-s16"]
    assert "turning point 5" in scenes.subsections[1].title


def test_document_tropes_name_their_scenes(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    twin = copy.deepcopy(d["scenes"][1])
    twin["id"], twin["index"] = "s3", 2
    d["scenes"].append(twin)
    tropes = next(s for s in build_article(d, None).sections if s.id == "tropes")
    lines = [s.text for s in tropes.blocks[0].sentences]
    assert len(lines) == 2  # one line per trope, not per instance
    assert all("scenes 2 and 3" in ln for ln in lines)
    assert any("Consent note" in ln for ln in lines)
    scenes = next(s for s in build_article(d, None).sections if s.id == "scenes")
    assert all(b.kind != "list" for sub in scenes.subsections for b in sub.blocks)


def test_charts_leave_room_for_long_names() -> None:
    from sceneanatomy.render.report import charts

    names = [f"Character With A Very Long Name Number {k}" for k in range(8)]
    nodes = [{"id": f"c{k}", "name": n} for k, n in enumerate(names)]
    edges = [
        {"from": "c0", "to": f"c{k}", "from_name": names[0], "to_name": names[k],
         "kind": "platonic", "requited": "unknown", "basis": "stated"}
        for k in range(1, 8)
    ]  # fmt: skip
    graph = charts.graph_chart("g", nodes, edges)
    assert graph is not None
    for n in graph.ctx["nodes"]:
        w = charts.text_width(n["name"])
        left = {"start": n["tx"], "end": n["tx"] - w, "middle": n["tx"] - w / 2}[n["anchor"]]
        assert left >= 0 and left + w <= charts.W, n
        assert n["name"].endswith("…") and n["full"].startswith("Character")
    assert graph.ctx["nodes"][0]["x"] == charts.W / 2  # the hub sits in the middle
    bars = charts.dialogue_chart("d", [{"name": n, "words": 5, "lines": 1} for n in names])
    assert bars is not None
    for b in bars.ctx["bars"]:
        assert charts.text_width(b["name"]) <= bars.ctx["frame"].left - 8
    assert charts.pad("민재", 6) == "민재  " and charts.cells(charts.pad("민재재재", 5)) == 5


def test_escaping_in_tables_legends_svg_titles_and_share_links(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    mj = next(c for c in d["characters"] if c["name"].lower() == "min-jae")
    mj["name"] = SCRIPT
    mj["actors"] = ['"><b>Actor</b>']
    d["source"]["title"] = f"Ep {SCRIPT}"
    html = report(d, 2, "html", page_url="https://example.org/p?x=1")
    html5lib.HTMLParser(strict=True).parse(html)
    assert SCRIPT not in html and "<b>Actor" not in html
    root = tree(html)
    assert len(list(root.iter("script"))) == 1
    cast = text_of(root.find(".//section[@id='cast']"))
    assert SCRIPT in cast and '"><b>Actor</b>' in cast  # shown as text
    legends = " ".join(text_of(ul) for ul in root.iter("ul") if ul.get("class") == "legend")
    assert SCRIPT in legends
    svg_titles = [text_of(t) for svg in svgs_of(root) for t in svg.iter(SVG + "title")]
    assert any(SCRIPT in t for t in svg_titles)
    assert SCRIPT in text_of(root.find(".//p[@class='kicker']"))
    for a in root.iter("a"):
        if a.get("data-network"):
            href = a.get("href") or ""
            assert "<" not in href and ">" not in href and " " not in href
            if a.get("data-network") != "facebook":  # facebook takes the URL alone
                assert SCRIPT in unquote(href)  # the title (with the name), percent-encoded
    md = report(d, 2, "markdown")
    assert "<script" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md


# ------------------------------------------------------------------------- golden

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_CASES = [
    ("sofa-scene-s2.md", ["--scene", "2", "--format", "markdown"]),
    ("sofa-scene-s2.txt", ["--scene", "2", "--format", "text"]),
]


@pytest.mark.parametrize(("name", "args"), GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_golden_report(name: str, args: list[str]) -> None:
    """The Markdown and text reports of examples/sofa-scene.fountain scene 2, exactly as
    `scene-anatomy report` prints them. After an intended change, review the diff, then
    regenerate: ``UPDATE_GOLDEN=1 python -m pytest tests/test_report.py -k golden``."""
    import difflib
    import os

    from sceneanatomy.cli import example_paths

    source = next(p for p in example_paths() if p.name == "sofa-scene.fountain")
    r = CliRunner().invoke(cli, ["report", str(source), *args])
    assert r.exit_code == 0, r.output
    got = r.output
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="\n")
    if not path.exists():
        pytest.fail(f"{path} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/test_report.py")
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True),
                got.splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="rendered now",
            )
        )
        pytest.fail(
            f"the report differs from tests/golden/{name}; if the change is intended, "
            f"regenerate with UPDATE_GOLDEN=1 python -m pytest tests/test_report.py -k golden\n"
            + diff,
            pytrace=False,
        )


def test_analyze_markdown_escapes_source_strings(data: dict[str, Any]) -> None:
    """`analyze --format markdown` (render/markdown.py) escapes like the report does."""
    from sceneanatomy.render.markdown import anatomy_markdown

    d = copy.deepcopy(data)
    d["characters"][0]["name"] = "*Bold* <b>"
    md = anatomy_markdown(d)
    assert "<script" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "<b>" not in md and r"\*Bold\* &lt;b&gt;" in md
    assert "**Key line:** “I like you, Hye-won. I have for a long time.”" in md
    assert "not said" not in md  # an unknown outcome is "outcome unknown"


def test_dek_does_not_repeat_a_headline_quote(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    d["scenes"][1]["anatomy"]["value"] = None  # the headline falls back to the key line
    for k in range(6):  # whichever variant the seed picks
        d["source"]["title"] = f"Drama {k}"
        article = build_article(d, 2)
        line = "I like you, Hye-won. I have for a long time."
        assert line in article.headline or "I like you" in article.headline
        assert article.dek is not None and "I like you" not in article.dek.text
