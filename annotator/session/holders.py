"""Who holds a stance voiced in a stretch of an article: ranked holder suggestions.

The cues come from the dependency parse (annotator.nlp.attribution): the subject of a speech or
cognition verb ("Zelensky said", "…, says Zelensky", "the Kremlin rejected"), "according to X",
"as reported by X", a headline's "X: …". A quotation without its own attribution takes the
attribution after it ("“… .” he said") or, when it continues one, the one before. Then:

- a pronoun ("He said …") is the most recent person (for he/she) or organisation (it/they)
  that was the speaker, or else the subject, of a preceding sentence;
- a description with a person's title ("the French president", "the Ukrainian leader") is the
  most recent person introduced with that title (leader ≈ president, chief ≈ head …) and the
  same nationality, if one is named before; otherwise the description itself is the holder;
- an institution ("the White House", "Ukraine's energy ministry") is its own holder;
- a mention that coincides with an entity of the article is linked to that entity.

The nearest-entity rule (core.speakers) fills the list up for a second and third choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.model import EntitySpan
from annotator.core.speakers import SPEAKER_LABELS, nearest_speaker
from annotator.nlp.attribution import CACHE, Cue, Mention, Sentence, sentences_around

PERSON_TITLES = frozenset(
    """president leader minister chancellor secretary premier negotiator commander general spokesperson spokesman
    spokeswoman official envoy chief head governor mayor ambassador diplomat adviser advisor aide pope pontiff king
    queen prince director executive ceo chairman chairwoman chair lawmaker senator archbishop bishop prosecutor
    representative mp member""".split()
)
# a description may use another word for the title the person was introduced with
TITLE_GROUPS = (
    frozenset("president leader premier chancellor king queen".split()),
    frozenset("prime premier".split()),
    frozenset("chief head director executive ceo chairman chairwoman chair".split()),
    frozenset("pope pontiff".split()),
    frozenset("spokesperson spokesman spokeswoman".split()),
    frozenset("adviser advisor aide".split()),
    frozenset("general commander".split()),
)
NATIONS = {
    "ukraine": "ua", "ukrainian": "ua", "kyiv": "ua", "kiev": "ua", "russia": "ru", "russian": "ru", "moscow": "ru",
    "kremlin": "ru", "us": "us", "u.s.": "us", "usa": "us", "american": "us", "america": "us", "washington": "us",
    "france": "fr", "french": "fr", "paris": "fr", "britain": "gb", "british": "gb", "uk": "gb", "u.k.": "gb",
    "london": "gb", "germany": "de", "german": "de", "berlin": "de", "turkey": "tr", "turkish": "tr", "türkiye": "tr",
    "ankara": "tr", "poland": "pl", "polish": "pl", "warsaw": "pl", "hungary": "hu", "hungarian": "hu", "china": "cn",
    "chinese": "cn", "beijing": "cn", "italy": "it", "italian": "it", "spain": "es", "spanish": "es", "israel": "il",
    "israeli": "il", "iran": "ir", "iranian": "ir", "india": "in", "indian": "in", "japan": "jp", "japanese": "jp",
    "belarus": "by", "belarusian": "by", "canada": "ca", "canadian": "ca", "european": "eu", "eu": "eu",
}
INSTITUTION_WORDS = frozenset(
    """house kremlin ministry government office council commission agency service army forces military parliament
    court bank company union committee department administration authority authorities police""".split()
)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "i"})
GROUP_PRONOUNS = frozenset({"it", "they", "them", "we"})
NOT_HOLDERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class HolderCandidate:
    """A proposed holder: a mention in the article (start/end, and span_id when it is an entity) or free text."""

    text: str
    start: int | None
    end: int | None
    reason: str
    span_id: int | None = None
    label: str = ""


def suggest_holders(corpus, doc_id: int, start: int, end: int, limit: int = 5) -> list[HolderCandidate]:
    """Ranked holder candidates for a stance voiced in [start, end) of a document, best first."""
    doc = corpus.document(doc_id)
    return rank_holders(doc.text, corpus.spans(doc_id), start, end, key=(str(corpus.path), doc_id, doc.sha256), limit=limit)


def rank_holders(text: str, spans: list[EntitySpan], start: int, end: int, key=None, limit: int = 5) -> list[HolderCandidate]:
    """The same from a text and its entities, touching no database: safe to run on a worker thread."""
    sents, asked = sentences_around(text, start, end, key if key is not None else hash(text), cache=CACHE)
    return _Ranker(text, spans, sents).rank(asked, start, end)[:limit]


class _Ranker:
    def __init__(self, text: str, spans: list[EntitySpan], sents: list[Sentence]):
        self.text = text
        self.spans = sorted((s for s in spans if s.label not in NOT_HOLDERS), key=lambda s: s.start)
        self.sents = sents
        self._primary: dict[int, HolderCandidate | None] = {}

    # ---- ranking ---------------------------------------------------------------------
    def rank(self, asked: list[int], start: int, end: int) -> list[HolderCandidate]:
        out: list[HolderCandidate] = []
        for cue, i in self._cues_for(asked, start, end):
            out += self.resolve(cue.mention, i, cue.reason)
        if asked:
            first = self.sents[asked[0]]
            lo, hi = min(first.start, start), max(self.sents[asked[-1]].end, end)
        else:
            lo, hi = start, end
        near = nearest_speaker(self.spans, lo, hi)
        if near is not None:
            out.append(self._span_cand(near, "nearest entity to the sentence"))
        for i in asked:  # other people and organisations of the sentence
            out += [self._span_cand(s, "named in the sentence") for s in self._spans_in(self.sents[i])
                    if s.label in SPEAKER_LABELS]
        if asked:
            for j in range(asked[0] - 1, -1, -1):
                prev = self.primary(j)
                if prev is not None:
                    out.append(HolderCandidate(prev.text, prev.start, prev.end, "speaker of an earlier sentence",
                                               prev.span_id, prev.label))
                    break
        return _dedupe(out)

    def _cues_for(self, asked: list[int], start: int, end: int) -> list[tuple[Cue, int]]:
        found = []
        for i in asked:
            st = self.sents[i]
            near_ev = sorted(st.cues, key=lambda c: (not (start <= c.mention.start < end or c.mention.start <= start < c.mention.end
                                                          or start <= c.mention.end <= end), c.depth))
            found += [(c, i) for c in near_ev]
        if found:
            return found
        for i in asked:  # a quotation without its own attribution
            st = self.sents[i]
            if st.quoted >= 0.5 or st.quote_open_after or st.quote_open_before:
                after = self._neighbour_cue(i, +1) if (st.quote_open_after or not st.quote_open_before) else None
                before = self._neighbour_cue(i, -1)
                order = [after, before] if not st.quote_open_before else [before, after]
                if st.quote_open_before and st.quote_open_after:
                    order = [after, before]
                for got in order:
                    if got:
                        cue, j = got
                        where = "after" if j > i else "before"
                        found.append((Cue(cue.mention, f"the quotation's attribution {where} it ({cue.reason})", cue.depth), j))
        if found:
            return found
        return [(self.sents[i].subject, i) for i in asked if self.sents[i].subject is not None]

    def _neighbour_cue(self, i: int, step: int) -> tuple[Cue, int] | None:
        line = self._line(i)
        j = i + step
        while 0 <= j < len(self.sents) and self._line(j) == line and abs(j - i) <= 3:
            if self.sents[j].cues:
                return self.sents[j].cues[0], j
            j += step
        return None

    def _line(self, i: int) -> int:
        return self.text.rfind("\n", 0, self.sents[i].start)

    # ---- resolving a mention ---------------------------------------------------------
    def resolve(self, m: Mention, i: int, reason: str) -> list[HolderCandidate]:
        if m.kind == "pronoun":
            return self._pronoun(m, i, reason)
        if m.kind == "phrase":
            exact = next((s for s in self.spans if (s.start, s.end) == (m.start, m.end)), None)
            return [self._span_cand(exact, reason) if exact else HolderCandidate(m.text, m.start, m.end, reason)]
        span = self._span_at(m.head_start, m.head_end)
        if span is None and (m.kind == "name" or not m.modifiers and m.text[:1].isupper()):
            # a name the model missed here but found elsewhere ("Zelenskyy reported …"): that entity's label
            same = self._same_name(m)
            if same is not None:
                return [HolderCandidate(m.text, m.start, m.end, reason, None, same.label)]
        if m.kind == "name":
            if span is not None:
                return [self._span_cand(span, reason)]
            return [HolderCandidate(m.text, m.start, m.end, reason, None, m.ent_label)]
        own = HolderCandidate(_strip_det(m), m.start + (len(m.text) - len(_strip_det(m))), m.end, reason)
        if m.head_lemma in PERSON_TITLES and span is None:
            return self._description(m, reason, own)
        if span is not None and span.start <= m.head_start and span.end >= m.head_end and span.label != "NORP":
            return [self._span_cand(span, reason)]
        return [own]

    def _pronoun(self, m: Mention, i: int, reason: str) -> list[HolderCandidate]:
        person = m.head_lemma in PERSON_PRONOUNS
        out = []
        # an earlier speaker of the same sentence: "the Kremlin said …, it claimed …"
        for cue in self.sents[i].cues:
            if cue.mention.end <= m.start and cue.mention.kind != "pronoun":
                for c in self.resolve(cue.mention, i, cue.reason):
                    if self._fits(c, person):
                        out.append(_because(c, f"{m.text!r} = {c.text} ({reason})"))
        for j in range(i - 1, max(-1, i - 9), -1):
            prev = self.primary(j)
            if prev is not None and self._fits(prev, person):
                out.append(_because(prev, f"{m.text!r} = {prev.text}, speaker of an earlier sentence ({reason})"))
                if len(out) >= 2:
                    break
            if self.sents[j].quoted >= 0.5:  # people named inside a quotation are not its speaker
                continue
            for s in reversed(self._spans_in(self.sents[j])):
                if (s.label == "PERSON") if person else (s.label in ("ORG", "GPE", "NORP")):
                    out.append(_because(self._span_cand(s, ""), f"{m.text!r} = the most recent "
                                        f"{'person' if person else 'organisation'} before ({reason})"))
                    break
        return out

    def _fits(self, c: HolderCandidate, person: bool) -> bool:
        """Could "he"/"she" (person) or "it"/"they" refer to c? The model's label decides, except that a
        speaker the model called an organisation may still be a person (names it does not know)."""
        if c.label == "PERSON":
            return person
        if c.label in ("GPE", "NORP", "LOC", "FAC"):
            return not person
        if c.label == "ORG":
            return not person or len(c.text.split()) <= 2 and c.text[:1].isupper() and not _institution(c.text)
        return _person_like(c.text) == person

    def primary(self, j: int) -> HolderCandidate | None:
        """The speaker of sentence j (its first cue, else its subject), resolved; memoised."""
        if j not in self._primary:
            self._primary[j] = None  # guards against cycles
            st = self.sents[j]
            cues = list(st.cues) + ([st.subject] if st.subject else [])
            for cue in cues:
                got = self.resolve(cue.mention, j, cue.reason)
                if got:
                    self._primary[j] = got[0]
                    break
        return self._primary[j]

    def _description(self, m: Mention, reason: str, own: HolderCandidate) -> list[HolderCandidate]:
        titles = _title_group(m.head_lemma)
        nations = {NATIONS[w] for w in m.modifiers if w in NATIONS}
        others = {w for w in m.modifiers if w not in NATIONS}
        people: dict[str, tuple[set[str], EntitySpan]] = {}
        for s in self.spans:
            if s.label != "PERSON" or s.end > m.start:
                continue
            key = self.text[s.start : s.end].split()[-1].translate(APOSTROPHES).lower()
            words = self._context_words(s)
            known = people.get(key)
            people[key] = ((known[0] if known else set()) | words, s)  # the latest mention is the one linked
        # people the model did not tag, but who spoke in an earlier sentence ("Kharkiv Mayor Ihor Terekhov told …")
        for j, st in enumerate(self.sents):
            if st.end > m.start:
                break
            c = self.primary(j)
            if c is None or c.start is None or c.span_id is not None or not _person_like(c.text):
                continue
            if c.text.split()[-1].lower() in PERSON_TITLES:
                continue  # itself a description
            key = c.text.split()[-1].translate(APOSTROPHES).lower()
            pseudo = EntitySpan(None, None, c.start, c.end, "PERSON")
            words = self._context_words(pseudo) | {w.lower() for w in c.text.split()}
            known = people.get(key)
            people[key] = ((known[0] if known else set()) | words, known[1] if known and known[1].start > c.start else pseudo)
        strong, weak = [], []
        for words, s in people.values():
            if not titles & words:
                continue
            have = {NATIONS[w] for w in words if w in NATIONS}
            if nations and not nations <= have:
                if not have & nations and have:
                    continue  # another country's president
                weak.append((len(others & words), s.start, s))
                continue
            strong.append((len(others & words), s.start, s))
        desc = m.text
        out = [_because(self._span_cand(s, ""), f"{desc!r} = {self.text[s.start:s.end]}, introduced with that title ({reason})")
               for *_, s in sorted(strong, key=lambda t: (t[0], t[1]), reverse=True)[:1]]
        out.append(own)
        out += [_because(self._span_cand(s, ""), f"{desc!r} may be {self.text[s.start:s.end]} ({reason})")
                for *_, s in sorted(weak, key=lambda t: (t[0], t[1]), reverse=True)[:1]]
        return out

    def _context_words(self, s: EntitySpan) -> set[str]:
        """Words introducing a person: the title before the name and an apposition after it."""
        line_start = self.text.rfind("\n", 0, s.start) + 1
        before = self.text[max(line_start, s.start - 80) : s.start]
        before = re.split(r"[.!?;:“”\"]\s", before)[-1]
        words = before.split()[-7:]
        after = self.text[s.end : s.end + 80]
        if after.startswith(","):
            words += after[1:].split(",")[0].split()[:8]
        return {w.translate(APOSTROPHES).lower().strip(",.’'()").removesuffix("'s") for w in words}

    # ---- entities --------------------------------------------------------------------
    def _same_name(self, m: Mention) -> EntitySpan | None:
        """An entity elsewhere in the article with this name, or whose last word it is; the nearest before first."""
        name = normal_name(m.text)
        found = [s for s in self.spans if s.label in SPEAKER_LABELS
                 and (normal_name(self.text[s.start:s.end]) == name or same_holder(m.text, self.text[s.start:s.end]))]
        before = [s for s in found if s.end <= m.start]
        return before[-1] if before else (found[0] if found else None)

    def _span_at(self, s: int, e: int) -> EntitySpan | None:
        for span in self.spans:
            if span.start < e and s < span.end:
                return span
        return None

    def _spans_in(self, st: Sentence) -> list[EntitySpan]:
        return [s for s in self.spans if s.start >= st.start and s.end <= st.end]

    def _span_cand(self, span: EntitySpan, reason: str) -> HolderCandidate:
        return HolderCandidate(" ".join(self.text[span.start : span.end].split()), span.start, span.end, reason, span.id, span.label)


def _person_like(text: str) -> bool:
    """A description with a person's title, or a name that is not an institution's."""
    words = text.translate(APOSTROPHES).split()
    if not words or _institution(text):
        return False
    return words[-1].lower() in PERSON_TITLES or all(w[:1].isupper() for w in words[-2:])


def _institution(text: str) -> bool:
    words = set(text.translate(APOSTROPHES).lower().split())
    return bool(words & INSTITUTION_WORDS)


def _title_group(lemma: str) -> set[str]:
    out = {lemma}
    for group in TITLE_GROUPS:
        if lemma in group:
            out |= group
    return out


def _strip_det(m: Mention) -> str:
    words = m.text.split(maxsplit=1)
    if len(words) == 2 and words[0].lower() in ("the", "a", "an"):
        return words[1]
    return m.text


def _because(c: HolderCandidate, reason: str) -> HolderCandidate:
    return HolderCandidate(c.text, c.start, c.end, reason, c.span_id, c.label)


def _dedupe(cands: list[HolderCandidate]) -> list[HolderCandidate]:
    seen, out = set(), []
    for c in cands:
        key = normal_name(c.text)
        if key and key not in seen:
            seen.add(key)
            out.append(c)
    return out


def normal_name(text: str) -> str:
    """For comparing holder names: case, apostrophes, articles and honorifics ignored."""
    t = " ".join(text.translate(APOSTROPHES).lower().split())
    for prefix in ("the ", "a ", "an ", "mr ", "mrs ", "ms ", "mr. ", "mrs. ", "ms. "):
        t = t.removeprefix(prefix)
    return t.strip(" ,.:;'\"")


def same_holder(candidate: str, gold: str) -> bool:
    """The same holder, or a name and its shorter form ("Zelensky" for "Volodymyr Zelensky")."""
    a, b = normal_name(candidate), normal_name(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long.endswith(" " + short) and short[:1].isalpha() and gold.strip()[:1].isupper() and candidate.strip()[:1].isupper()
