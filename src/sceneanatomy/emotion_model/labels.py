"""Label sets and the mappings between them (documented in docs/benchmarks.md).

* GoEmotions: 28 labels (27 emotions + neutral), the shipped model's own output.
* Product: the nine labels of the scene-anatomy contract (love, joy, sadness, anger, fear,
  surprise, embarrassment, jealousy, neutral). Disgust is kept apart internally and folded
  into anger ("anger/frustration") in the product scheme.
* MELD: neutral, joy, sadness, anger, fear, surprise, disgust (via the GoEmotions paper's
  Ekman grouping, as published by Demszky et al. 2020).
* EmoryNLP: Joyful, Peaceful, Powerful, Scared, Mad, Sad, Neutral, predicted through the
  feeling-wheel grouping of :data:`GO_TO_EMORY`.
"""

from __future__ import annotations

GOEMOTIONS = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)

PRODUCT = (
    "love",
    "joy",
    "sadness",
    "anger",
    "fear",
    "surprise",
    "embarrassment",
    "jealousy",
    "neutral",
)
# The internal scheme: the product labels plus disgust (GoEmotions and MELD have it).
INTERNAL = (*PRODUCT, "disgust")

MELD = ("neutral", "joy", "sadness", "anger", "fear", "surprise", "disgust")
EMORY = ("Neutral", "Joyful", "Peaceful", "Powerful", "Scared", "Mad", "Sad")

# GoEmotions -> internal (product + disgust). Jealousy has no GoEmotions label: only the
# lexicon produces it.
GO_TO_INTERNAL: dict[str, str] = {
    "love": "love",
    "desire": "love",
    "caring": "love",
    "admiration": "joy",
    "amusement": "joy",
    "approval": "joy",
    "excitement": "joy",
    "gratitude": "joy",
    "joy": "joy",
    "optimism": "joy",
    "pride": "joy",
    "relief": "joy",
    "sadness": "sadness",
    "grief": "sadness",
    "remorse": "sadness",
    "disappointment": "sadness",
    "anger": "anger",
    "annoyance": "anger",
    "disapproval": "anger",
    "disgust": "disgust",
    "fear": "fear",
    "nervousness": "fear",
    "surprise": "surprise",
    "realization": "surprise",
    "confusion": "surprise",
    "curiosity": "surprise",
    "embarrassment": "embarrassment",
    "neutral": "neutral",
}

# GoEmotions -> MELD: the Ekman grouping of Demszky et al. (2020), where love, desire and
# caring are joy and embarrassment is sadness.
GO_TO_MELD: dict[str, str] = {
    **{g: i for g, i in GO_TO_INTERNAL.items() if i in MELD},
    "love": "joy",
    "desire": "joy",
    "caring": "joy",
    "embarrassment": "sadness",
}

# internal -> MELD, for the lexicon's evidence
INTERNAL_TO_MELD: dict[str, str] = {
    "love": "joy",
    "joy": "joy",
    "sadness": "sadness",
    "anger": "anger",
    "fear": "fear",
    "surprise": "surprise",
    "embarrassment": "sadness",
    "jealousy": "anger",
    "disgust": "disgust",
    "neutral": "neutral",
}

# GoEmotions -> EmoryNLP's seven labels (the sectors of Willcox's feeling wheel that
# EmoryNLP annotates): Peaceful holds loving, intimate, thankful, content, relaxed;
# Powerful holds proud, hopeful, appreciated, confident; Scared holds anxious, insecure,
# embarrassed, confused, bewildered (where surprise goes); Joyful holds excited, amused,
# cheerful, playful; Mad holds angry, critical, hateful; Sad holds sorry, remorseful,
# grieving, disappointed. Fixed by reading the wheel, not tuned on EmoryNLP data.
GO_TO_EMORY: dict[str, str] = {
    "joy": "Joyful",
    "amusement": "Joyful",
    "excitement": "Joyful",
    "desire": "Joyful",
    "love": "Peaceful",
    "caring": "Peaceful",
    "gratitude": "Peaceful",
    "relief": "Peaceful",
    "approval": "Powerful",
    "admiration": "Powerful",
    "pride": "Powerful",
    "optimism": "Powerful",
    "fear": "Scared",
    "nervousness": "Scared",
    "embarrassment": "Scared",
    "confusion": "Scared",
    "surprise": "Scared",
    "anger": "Mad",
    "annoyance": "Mad",
    "disapproval": "Mad",
    "disgust": "Mad",
    "sadness": "Sad",
    "grief": "Sad",
    "remorse": "Sad",
    "disappointment": "Sad",
    "curiosity": "Neutral",
    "realization": "Neutral",
    "neutral": "Neutral",
}
# internal -> EmoryNLP, for the lexicon's evidence
INTERNAL_TO_EMORY: dict[str, str] = {
    "love": "Peaceful",
    "joy": "Joyful",
    "sadness": "Sad",
    "anger": "Mad",
    "fear": "Scared",
    "surprise": "Scared",
    "embarrassment": "Scared",
    "jealousy": "Mad",
    "disgust": "Mad",
    "neutral": "Neutral",
}
assert set(GO_TO_INTERNAL) == set(GOEMOTIONS)
assert set(GO_TO_MELD) == set(GOEMOTIONS) and set(GO_TO_MELD.values()) == set(MELD)
assert set(GO_TO_EMORY) == set(GOEMOTIONS) and set(GO_TO_EMORY.values()) == set(EMORY)
