"""The closest known names to a mistyped one, and the plain-words sentence offering them."""

import difflib
from collections.abc import Iterable, Sequence

MAX_SUGGESTIONS = 3
# How alike two names must be (difflib's ratio) to be offered: "helthcare" and "healthcare" are 0.95.
CUTOFF = 0.6


def closest(name: str, known: Iterable[str], *, n: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `n` known names closest to `name`, best first; a difference of case alone wins."""
    candidates = list(dict.fromkeys(known))
    same_but_case = [candidate for candidate in candidates if candidate.lower() == name.lower()]
    if same_but_case:
        return same_but_case[:n]
    return difflib.get_close_matches(name.lower(), candidates, n=n, cutoff=CUTOFF)


def did_you_mean(suggestions: Sequence[str]) -> str:
    """ " Did you mean healthcare?" (with a leading space), or nothing when there is no suggestion."""
    if not suggestions:
        return ""
    if len(suggestions) == 1:
        return f" Did you mean {suggestions[0]}?"
    return f" Did you mean {', '.join(suggestions[:-1])} or {suggestions[-1]}?"
