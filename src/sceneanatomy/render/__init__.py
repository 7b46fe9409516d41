"""Renderers read only the model and never analyse."""
