"""Deterministic synthetic wording: titles, summaries, a source document and quotes in it.

Words are drawn with a skewed (Zipf-like) frequency from a fixed vocabulary, so some
words occur in most records and others in a few: full-text queries of every
selectivity can be benchmarked.
"""

import random
from dataclasses import dataclass

DOMAIN_WORDS = [
    "co-operation",
    "healthcare",
    "innovation",
    "technology",
    "talent",
    "youth",
    "education",
    "culture",
    "finance",
    "bond",
    "insurance",
    "wealth",
    "connect",
    "logistics",
    "port",
    "airport",
    "bridge",
    "railway",
    "customs",
    "clearance",
    "data",
    "cross-boundary",
    "mainland",
    "greater",
    "bay",
    "area",
    "shenzhen",
    "guangzhou",
    "zhuhai",
    "nansha",
    "qianhai",
    "hetao",
    "loop",
    "northern",
    "metropolis",
    "hospital",
    "clinic",
    "elderly",
    "voucher",
    "scheme",
    "programme",
    "pilot",
    "platform",
    "institution",
    "plan",
    "policy",
    "facility",
    "exhibition",
    "project",
    "mechanism",
    "zone",
    "examination",
    "research",
    "laboratory",
    "university",
    "school",
    "exchange",
    "internship",
    "startup",
    "incubator",
    "carbon",
    "hydrogen",
    "energy",
    "green",
    "climate",
    "emergency",
    "rescue",
    "drill",
    "legal",
    "arbitration",
    "mediation",
    "trade",
    "investment",
    "property",
    "intellectual",
    "sports",
    "games",
    "athletes",
    "tourism",
    "heritage",
    "museum",
    "film",
    "music",
    "creative",
    "digital",
    "payment",
    "yuan",
    "settlement",
    "licence",
    "professional",
    "qualification",
    "recognition",
    "standards",
    "testing",
    "medical",
    "devices",
    "drugs",
    "registration",
    "vehicles",
    "northbound",
    "southbound",
    "travel",
    "visa",
    "permit",
]
SYLLABLES = ("ka", "lo", "mi", "ran", "tse", "wu", "zhi", "ong", "pe", "sa", "tin", "yau", "bel", "dor", "qua")


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]

    @classmethod
    def make(cls, size: int = 3000) -> "Vocabulary":
        # Fixed (not from the user's seed): the same words at every scale and seed.
        rng = random.Random(20240712)  # noqa: S311 (reproducible data, not secrets)
        invented = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
        return cls(tuple(DOMAIN_WORDS) + tuple(sorted(invented))[:size])

    def word(self, rng: random.Random) -> str:
        # r**3 skews towards the front: domain words are common, invented ones rarer and rarer.
        return self.words[int(len(self.words) * rng.random() ** 3)]

    def phrase(self, rng: random.Random, low: int, high: int) -> str:
        return " ".join(self.word(rng) for _ in range(rng.randint(low, high)))


@dataclass(frozen=True)
class SourceDocument:
    """A synthetic source text and the spans of its sentences (quotes are whole sentences)."""

    text: str
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def make(cls, vocabulary: Vocabulary, rng: random.Random, sentences: int = 4000) -> "SourceDocument":
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        position = 0
        for _ in range(sentences):
            sentence = vocabulary.phrase(rng, 8, 16).capitalize() + "."
            spans.append((position, position + len(sentence)))
            parts.append(sentence)
            position += len(sentence) + 1
        return cls(" ".join(parts), tuple(spans))

    def quote(self, rng: random.Random) -> tuple[str, int, int]:
        start, end = self.spans[rng.randrange(len(self.spans))]
        return self.text[start:end], start, end
