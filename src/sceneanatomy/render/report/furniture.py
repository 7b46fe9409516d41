"""Page furniture: share links, the "watch the scene" link, times in display form."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from .model import ShareLink

__all__ = [
    "check_url",
    "display_time",
    "parse_time",
    "share_links",
    "watch_url",
]

PLACEHOLDER_URL = "#"
_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:[.,](\d{1,3}))?$")
_YOUTUBE = ("youtube.com", "youtu.be", "youtube-nocookie.com")


def parse_time(value: str | float | int | None) -> float | None:
    """``HH:MM:SS.mmm`` (the contract's form) or seconds -> seconds; None when absent/odd."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    m = _TIME.match(str(value).strip())
    if not m:
        return None
    h, mi, s, ms = m.groups()
    frac = int(ms.ljust(3, "0")) / 1000 if ms else 0.0
    return int(h) * 3600 + int(mi) * 60 + int(s) + frac


def display_time(value: str | float | int | None) -> str | None:
    """Seconds or ``HH:MM:SS.mmm`` -> ``M:SS`` (or ``H:MM:SS`` past the hour)."""
    secs = parse_time(value)
    if secs is None:
        return None
    whole = int(secs)
    h, rem = divmod(whole, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def check_url(url: str, option: str) -> str:
    """``url`` when it is an absolute http(s) URL, else ValueError naming ``option``."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{option} must be an absolute http(s) URL, got {url!r}")
    return url.strip()


def _host_is(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def watch_url(video_url: str, seconds: float) -> str:
    """``video_url`` set to start at ``seconds`` (whole seconds, rounded down).

    YouTube (youtube.com, youtu.be, youtube-nocookie.com): the query parameter
    ``t=123s``, replacing any ``t=`` or ``start=`` already there and keeping every other
    parameter as written. Vimeo: the fragment ``#t=123s``. Anything else (a video file or
    another player): the W3C Media Fragments form ``#t=123``, replacing any fragment.
    """
    secs = max(0, int(seconds))
    parts = urlsplit(video_url)
    host = parts.hostname or ""
    if _host_is(host, _YOUTUBE):
        kept = [p for p in parts.query.split("&") if p and p.split("=", 1)[0] not in ("t", "start")]
        kept.append(f"t={secs}s")
        return urlunsplit(parts._replace(query="&".join(kept)))
    if _host_is(host, ("vimeo.com",)):
        return urlunsplit(parts._replace(fragment=f"t={secs}s"))
    return urlunsplit(parts._replace(fragment=f"t={secs}"))


def share_links(page_url: str | None, title: str) -> list[ShareLink]:
    """Facebook, X and WhatsApp share links for ``page_url`` (``#`` when not given)."""
    page = page_url or PLACEHOLDER_URL
    u = quote(page, safe="")
    t = quote(title, safe="")
    return [
        ShareLink(
            "facebook", "Share on Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"
        ),
        ShareLink("x", "Share on X", f"https://twitter.com/intent/tweet?url={u}&text={t}"),
        ShareLink(
            "whatsapp",
            "Share on WhatsApp",
            f"https://wa.me/?text={quote(title + ' ' + page, safe='')}",
        ),
    ]
