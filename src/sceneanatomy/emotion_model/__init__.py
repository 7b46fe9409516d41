"""The per-utterance emotion model: features, lexicon, linear inference, training.

The public API is :mod:`sceneanatomy.analysis.emotion`. Inference needs only the core
install (pure Python); training needs the ``train`` extra, the MiniLM path the
``embeddings`` extra.
"""
