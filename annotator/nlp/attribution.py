"""Who says it: attribution cues read from spaCy's dependency parse.

This module parses (the full default pipeline: tagger, parser, entities) only the lines around
the sentences asked about, caches each parsed line per document, and reports for every
sentence its *cues*: speech or cognition verbs with their subject ("Zelensky said", "…, says
Zelensky", "the Kremlin rejected"), "according to X", "as reported by X", and the "X: …" of a
headline. It does not decide who the holder is: annotator.session.holders ranks the cues,
resolves pronouns and descriptions and links mentions to the article's entities.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

# Verbs whose subject holds the view expressed in the clause (speech, cognition, attitude).
SPEECH_LEMMAS = frozenset(
    """say tell write warn insist argue claim add note accuse urge state announce confirm reveal stress emphasize
    emphasise explain disclose acknowledge describe characterize characterise express signal echo condemn believe
    think hope want fear expect deny reject praise criticize criticise dismiss question welcome suggest admit
    concede report declare assert vow pledge promise predict caution complain demand reiterate estimate tweet post
    highlight appeal blame respond reply comment mention indicate recall hint threaten propose oppose support
    insist agree doubt call offer"""
    .split()
)
# verbs of a trailing attribution clause ("…, X said")
ATTRIBUTION_LEMMAS = frozenset("say tell add write warn insist claim confirm state report note argue explain stress".split())
# "a statement said …": the holder is whoever issued it
DOCUMENT_NOUNS = frozenset("statement message report post letter communique communiqué release tweet".split())
RELATIVE = frozenset({"who", "which", "that"})
# a first word before a headline colon that is a rubric, not a speaker ("Watch: …")
RUBRICS = frozenset("watch live video opinion analysis explainer breaking update updated pictured exclusive listen read".split())
QUOTE_OPEN = {"“": "”", '"': '"', "«": "»", "„": "“"}
_SINGLE_CLOSE = re.compile(r"’(?![A-Za-z])")
MAX_LINE = 4000  # longer "lines" are parsed as a window of sentences around what is asked about


@dataclass(frozen=True)
class Mention:
    """A phrase of the article that may name the holder."""

    start: int  # characters in the article
    end: int
    head_start: int
    head_end: int
    text: str
    kind: str  # "name" (a proper name or an entity), "pronoun", "noun" (a description: "the French president"),
    # "phrase" (a headline's speaker before its colon)
    head_lemma: str
    modifiers: tuple[str, ...] = ()  # lower-cased words before the head of a description
    ent_label: str = ""  # the parser's entity label over the head, if any
    plural: bool = False


@dataclass(frozen=True)
class Cue:
    mention: Mention
    reason: str
    depth: int  # of the verb below the sentence's root: the main clause's speaker comes first


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    cues: tuple[Cue, ...]  # speech verbs and their subjects, "according to", headline colon
    subject: Cue | None  # the main clause's subject, whatever its verb (a weak cue)
    quoted: float  # share of the sentence's characters inside quotation marks
    quote_open_before: bool  # it starts inside a quotation opened in an earlier sentence
    quote_open_after: bool  # a quotation it opens is closed in a later sentence
    headline: bool  # a line of its own without final punctuation
    names: tuple[Mention, ...]  # the parser's PERSON/ORG/GPE/NORP entities, for articles without entities


@lru_cache(maxsize=2)
def full_pipeline(name: str | None = None):
    """The whole default pipeline (the parser is needed): loaded on first use, ~1 s, then kept."""
    import spacy

    from annotator.nlp.models import ModelError, default_model

    name = name or default_model()
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"could not load the spaCy pipeline {name!r} for holder suggestions: {exc}") from exc
    if "parser" not in nlp.pipe_names:
        raise ModelError(f"the pipeline {name!r} has no parser, which holder suggestions need")
    return nlp


class ParseCache:
    """Parsed lines per document, most recently used documents kept; safe to share between threads."""

    def __init__(self, max_docs: int = 8):
        self.max_docs = max_docs
        self._docs: OrderedDict[object, dict[tuple[int, int], object]] = OrderedDict()
        self._lock = threading.Lock()
        self.parsed_chars = 0  # how much text was parsed, for tests and benchmarks

    def parse(self, key, text: str, start: int, end: int):
        with self._lock:
            lines = self._docs.get(key)
            if lines is None:
                lines = self._docs[key] = {}
                while len(self._docs) > self.max_docs:
                    self._docs.popitem(last=False)
            self._docs.move_to_end(key)
            doc = lines.get((start, end))
            if doc is None:
                doc = lines[(start, end)] = full_pipeline()(text[start:end])
                self.parsed_chars += end - start
            return doc


CACHE = ParseCache()


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    e = len(text) if e < 0 else e
    if e - s > MAX_LINE:  # one huge paragraph: a window around pos, cut at sentence ends
        from annotator.nlp.sentences import sentence_at

        lo, hi = max(s, pos - MAX_LINE // 2), min(e, pos + MAX_LINE // 2)
        first = sentence_at(text, lo) or (lo, lo)
        last = sentence_at(text, hi) or (hi, hi)
        s, e = first[0], last[1]
    return s, e


def sentences_around(text: str, start: int, end: int, key, before: int = 8, after: int = 3,
                     cache: ParseCache = CACHE) -> tuple[list[Sentence], list[int]]:
    """The sentences overlapping [start, end), up to `before` sentences before them and `after` after
    them in the same line; returns (sentences in text order, indexes of the asked-about ones)."""
    s0, e0 = line_bounds(text, min(start, len(text)))
    lines = [(s0, e0)]
    pos = e0
    while pos < end and pos < len(text):  # evidence running over several lines
        s, e = line_bounds(text, pos + 1)
        lines.append((s, e))
        pos = e
    sents: list[Sentence] = []
    for s, e in lines:
        sents += _line_sentences(text, s, e, key, cache)
    asked = [i for i, st in enumerate(sents) if st.start < max(end, start + 1) and st.end > start]
    if not asked:  # the cursor sits between sentences: the next one
        asked = [min(range(len(sents)), key=lambda i: abs(sents[i].start - start))] if sents else []
    last = asked[-1] if asked else -1
    sents = sents[: last + 1 + after]
    # preceding lines, for pronouns and descriptions, until enough sentences
    first_line = lines[0][0]
    earlier: list[Sentence] = []
    while first_line > 0 and len(earlier) < before:
        s, e = line_bounds(text, first_line - 1)
        if e > s and text[s:e].strip():
            earlier = _line_sentences(text, s, e, key, cache) + earlier
        first_line = s
        if first_line == 0:
            break
    earlier = earlier[-before:] if before else []
    return earlier + sents, [i + len(earlier) for i in asked]


def _line_sentences(text: str, s: int, e: int, key, cache: ParseCache) -> list[Sentence]:
    piece = text[s:e]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece.rstrip())
    if trail <= lead:
        return []
    s, e = s + lead, s + trail
    doc = cache.parse(key, text, s, e)
    quotes = _quote_regions(text[s:e])
    if text[e - 1] not in ".!?\"”’'»" and len(doc) <= 30:  # a headline: one sentence, whatever the parser split
        return [_sentence(doc[:], s, quotes, headline=True)]
    return [_sentence(sent, s, quotes, headline=False) for sent in doc.sents]


def _quote_regions(line: str) -> list[tuple[int, int]]:
    """(open, close) character positions of quotations in a line; an unclosed double one runs to the end.

    Single quotes count only as a pair that opens after a space (not "Kyiv‘s") and closes before
    a non-letter (not "Trump’s"): headlines quote with them ("‘Ukraine delegation …’ says Zelensky").
    """
    regions, i = [], 0
    while i < len(line):
        closer = QUOTE_OPEN.get(line[i])
        if closer:
            j = line.find(closer, i + 1)
            j = len(line) if j < 0 else j
            regions.append((i, j))
            i = j + 1
        elif line[i] == "‘" and (i == 0 or not line[i - 1].isalnum()):
            m = _SINGLE_CLOSE.search(line, i + 1)
            if m:
                regions.append((i, m.start()))
                i = m.start() + 1
            else:
                i += 1
        else:
            i += 1
    return regions


def _inside(pos: int, regions) -> bool:
    return any(a < pos < b for a, b in regions)


def _sentence(sent, offset: int, quotes, headline: bool) -> Sentence:
    ls, le = sent.start_char, sent.end_char  # in the line
    quoted = sum(max(0, min(le, b + 1) - max(ls, a)) for a, b in quotes) / max(1, le - ls)
    open_before = any(a < ls < b for a, b in quotes)
    open_after = any(ls <= a < le < b for a, b in quotes)
    cues: list[Cue] = []
    seen: set[tuple[int, int]] = set()
    for tok in sent:
        if _inside(tok.idx, quotes):
            continue
        cue = _verb_cue(tok, offset) or _according_cue(tok, offset)
        if cue and (cue.mention.start, cue.mention.end) not in seen:
            seen.add((cue.mention.start, cue.mention.end))
            cues.append(cue)
    colon = _headline_colon(sent, offset) if headline else None
    if colon:
        cues.insert(0, colon)
    cues.sort(key=lambda c: c.depth)
    root = sent.root
    subject = None
    if not _inside(root.idx, quotes):
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and not _inside(c.idx, quotes)), None)
        if subj is not None and subj.dep_ == "nsubj":
            m = _mention(subj, offset)
            if m:
                subject = Cue(m, f"subject of {root.text!r}", 9)
    names = tuple(
        _ent_mention(ent, offset) for ent in sent.ents if ent.label_ in ("PERSON", "ORG", "GPE", "NORP")
    )
    return Sentence(offset + ls, offset + le, tuple(cues), subject, quoted, open_before, open_after, headline, names)


def _depth(tok) -> int:
    d = 0
    while tok.head is not tok and d < 50:
        tok, d = tok.head, d + 1
    return d


def _verb_cue(tok, offset: int) -> Cue | None:
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH_LEMMAS:
        return None
    if any(c.dep_ == "agent" for c in tok.children):  # "as reported by X": the agent is the cue, not a subject
        return None
    verb, subj = tok, None
    for _ in range(4):  # "…, stating", "and said", "persists in claiming": the subject is up the tree
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        # "Putin not interested in diplomacy, says Zelensky": with two subjects the inverted one speaks
        # ("company DTEK said": two subjects before it, the one nearest the verb)
        after = [c for c in subjects if c.i > verb.i]
        subj = (after[0] if after else subjects[-1]) if subjects else None
        if subj is not None or verb.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") or verb.head is verb:
            break
        if verb.tag_ == "VBN" and verb is tok:  # a participle ("described as …") is not a clause of its own
            break
        verb = verb.head
    if subj is None:
        return None
    if subj.lower_ in RELATIVE and verb.dep_ == "relcl":  # "Medinsky, who told reporters"
        subj = verb.head
    m = _mention(subj, offset)
    if m is None:
        return None
    depth = _depth(tok)
    # "…, Zelensky said." / "…,” he said" / "…, says Zelensky": the clause attributes the whole sentence
    first = min(subj.left_edge.i, tok.i)
    if first > tok.sent.start and tok.doc[first - 1].text in (",", "”", '"', "’") and tok.lemma_.lower() in ATTRIBUTION_LEMMAS:
        depth = -1
    return Cue(m, f"subject of {tok.text!r}", depth)


def _according_cue(tok, offset: int) -> Cue | None:
    if tok.lower_ == "according":
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if obj is not None:
            m = _mention(obj, offset)
            return Cue(m, "“according to”", _depth(tok)) if m else None
    if tok.dep_ == "agent" and tok.head.lemma_.lower() in SPEECH_LEMMAS:  # "as reported by X"
        obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if obj is not None:
            m = _mention(obj, offset)
            return Cue(m, f"“{tok.head.text} by”", _depth(tok)) if m else None
    return None


def _headline_colon(sent, offset: int) -> Cue | None:
    """"Macron: Europe must …": a short phrase before a headline's colon is its speaker."""
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None or colon.i - sent.start == 0 or colon.i - sent.start > 6:
        return None
    words = sent.doc[sent.start : colon.i]
    if len(words) == 1 and words[0].lower_ in RUBRICS:
        return None
    if not any(t.text[:1].isupper() for t in words):
        return None
    head = max(words, key=lambda t: t.pos_ == "PROPN" and t.ent_type_ == "PERSON")
    ent = _ent_of(head)
    s, e = words.start_char, words.end_char
    # "Former Archbishop of Canterbury: …" is one holder, though the model's entity is "Archbishop"
    kind = "name" if ent is not None and ent.start <= words.start + 1 and ent.end >= words.end else "phrase"
    return Cue(
        Mention(offset + s, offset + e, offset + (ent.start_char if ent else head.idx),
                offset + (ent.end_char if ent else head.idx + len(head)), words.text, kind, head.lemma_.lower(),
                ent_label=ent.label_ if ent else ""),
        "headline: the speaker before the colon", 0,
    )


def _ent_of(tok):
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _ent_mention(ent, offset: int) -> Mention:
    return Mention(offset + ent.start_char, offset + ent.end_char, offset + ent.start_char, offset + ent.end_char,
                   ent.text, "name", ent.root.lemma_.lower(), ent_label=ent.label_)


def _mention(head, offset: int) -> Mention | None:
    """The phrase a subject token heads: an entity, a pronoun or a description."""
    if head.lemma_.lower() in DOCUMENT_NOUNS:  # "Witkoff's statement", "a UAE government statement"
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None:
            return _mention(owner, offset)
        mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod")]
        if mods:
            s, e = mods[0].left_edge.idx, mods[-1].idx + len(mods[-1])
            inner = max(mods, key=lambda c: c.i)
            ent = _ent_of(inner) or _ent_of(mods[0])
            return Mention(offset + s, offset + e, offset + inner.idx, offset + inner.idx + len(inner),
                           head.doc.text[s:e], "noun", inner.lemma_.lower(),
                           tuple(c.lower_ for c in mods[:-1]), ent.label_ if ent else "")
        return None
    appos = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    if appos is not None and head.ent_type_ != "PERSON":  # "The head of the IAEA, Rafael Grossi, warned"
        head = appos
    if head.pos_ == "PRON":
        return Mention(offset + head.idx, offset + head.idx + len(head), offset + head.idx, offset + head.idx + len(head),
                       head.text, "pronoun", head.lower_, plural=head.lower_ in ("they", "we", "them"))
    ent = _ent_of(head)
    if ent is not None and ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"):
        return _ent_mention(ent, offset)
    if head.pos_ == "PROPN" and head.text[:1].isupper():
        left = head
        while left.i > 0 and head.doc[left.i - 1].dep_ == "compound" and head.doc[left.i - 1].pos_ == "PROPN":
            left = head.doc[left.i - 1]
        s, e = left.idx, head.idx + len(head)
        return Mention(offset + s, offset + e, offset + s, offset + e, head.doc.text[s:e], "name", head.lemma_.lower())
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    s = head.left_edge.idx
    right = head
    for c in head.rights:
        if c.dep_ in ("prep", "compound", "amod"):
            right = c.right_edge
    e = right.idx + len(right)
    text = head.doc.text[s:e]
    mods = tuple(t.lower_.replace("’s", "").replace("'s", "").replace("‘s", "")
                 for t in head.subtree if t.i < head.i and t.dep_ not in ("det", "case", "punct"))
    return Mention(offset + s, offset + e, offset + head.idx, offset + head.idx + len(head), text, "noun",
                   head.lemma_.lower(), mods, plural=head.tag_ in ("NNS", "NNPS"))
