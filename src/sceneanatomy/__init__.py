"""scene-anatomy: dissect drama scenes from screenplays, subtitles and recaps."""

from .errors import ParseError
from .model import Document, Element, ElementKind, Scene, Span
from .readers import ReadOptions, read_bytes, read_path

__all__ = [
    "Document",
    "Element",
    "ElementKind",
    "ParseError",
    "ReadOptions",
    "Scene",
    "Span",
    "read_bytes",
    "read_path",
]
__version__ = "0.1.0"
