"""A helper for tests that tag stances on a new corpus (tests/ is on sys.path through its conftest.py)."""

from __future__ import annotations

from annotator.session.corpus import Corpus


def with_seed_targets(corpus: Corpus) -> Corpus:
    """The seed articles' stance targets: a new corpus has none (migration 0007), tests of stances need some."""
    from annotator.core.scheme import DEFAULT_STANCE_TARGETS
    from annotator.session.targets import Scheme, plan_take_scheme

    missing = [t for t in DEFAULT_STANCE_TARGETS if t not in corpus.stance_targets()]
    if missing:
        corpus.commit(plan_take_scheme(corpus, Scheme(missing, [], "seed targets"))[0], "import")  # not an undo step
    return corpus
