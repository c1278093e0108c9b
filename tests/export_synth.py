"""A synthetic gold corpus for the export tests: varied news-like sentences with known entities.

Built without a model, so tests are fast and deterministic; every entity is checked to align
with spaCy's English tokenizer, so an export failure is the exporter's, not the data's.
"""

from __future__ import annotations

import random
import re

from annotator.core.records import Record

FILLERS = {
    "PERSON": ["Volodymyr Zelensky", "Vladimir Putin", "Donald Trump", "Steve Witkoff", "Marco Rubio", "Rustem Umerov",
               "Sergei Lavrov", "Emmanuel Macron", "Keir Starmer", "Friedrich Merz", "Kaja Kallas", "Dmitry Peskov"],
    "GPE": ["Ukraine", "Russia", "Kyiv", "Moscow", "Washington", "Geneva", "Abu Dhabi", "Donetsk", "Crimea", "Poland",
            "Turkey", "Saudi Arabia", "Berlin", "Paris"],
    "ORG": ["NATO", "European Union", "Kremlin", "United Nations", "Reuters", "White House", "Gazprom", "Pentagon"],
    "NORP": ["Ukrainian", "Russian", "American", "European", "French", "British"],
    "DATE": ["Monday", "Tuesday", "Friday", "last week", "November", "this month", "2025"],
}

TEMPLATES = [
    "{PERSON} met {PERSON} in {GPE} on {DATE}.",
    "{NORP} officials said the talks in {GPE} had made progress, according to {ORG}.",
    "{PERSON} told {ORG} that {GPE} would not accept a deal that rewards aggression.",
    "The {NORP} delegation, led by {PERSON}, arrived in {GPE} late on {DATE}.",
    "{ORG} warned that strikes on energy infrastructure in {GPE} could derail a ceasefire.",
    "According to {PERSON}, the plan was drafted with help from {GPE}.",
    "Talks between {GPE} and {GPE} are expected to resume in {DATE}.",
    '{PERSON} said {NORP} negotiators had been "constructive".',
    "Markets in {GPE} rose after {ORG} said sanctions could be eased.",
    '"We want peace, but not at any price," {PERSON} said.',
    "Nothing was agreed about the territory, a spokesman said.",
    "{PERSON}'s office did not reply to a request for comment.",
]

SLOT = re.compile(r"\{([A-Z]+)\}")


def sentence(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    template = rng.choice(TEMPLATES)
    out, spans, pos = [], [], 0
    for m in SLOT.finditer(template):
        out.append(template[pos : m.start()])
        filler = rng.choice(FILLERS[m.group(1)])
        start = sum(len(p) for p in out)
        out.append(filler)
        spans.append((start, start + len(filler), m.group(1)))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def article(rng: random.Random, number: int) -> tuple[str, list[tuple[int, int, str]]]:
    text = f"Report {number}\n\n"
    spans: list[tuple[int, int, str]] = []
    for i in range(rng.randint(3, 10)):
        if i and rng.random() < 0.3:
            text += "\n\n"
        elif i:
            text += " "
        sent, sent_spans = sentence(rng)
        spans += [(s + len(text), e + len(text), label) for s, e, label in sent_spans]
        text += sent
    return text, spans


def records(n: int, seed: int = 0, status: str = "accepted", first: int = 0) -> list[Record]:
    from annotator.nlp.tokens import tokenizer

    tok = tokenizer("en").tokenizer
    rng = random.Random(seed)
    out = []
    for i in range(first, first + n):
        text, spans = article(rng, i)
        doc = tok(text)
        for s, e, label in spans:
            assert doc.char_span(s, e, alignment_mode="strict") is not None, (text[s:e], label)
        out.append(Record(text=text, title=f"Report {i}", meta={"outlet": "synthetic", "n": i}, spans=spans, status=status))
    return out
