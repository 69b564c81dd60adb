"""Input hygiene in one place: which characters never belong in what people type.

Control characters (NUL, which PostgreSQL refuses in a string, and the other C0/C1 codes),
bidirectional overrides (which reorder what staff read in lists and exports) and zero-width
characters (which make two names look alike) have no use in a name, an identifier or a query
parameter.
"""

import re

# C0 and C1 controls, zero-width (U+200B–U+200D, U+2060, U+FEFF), bidi embeddings, overrides
# and isolates (U+202A–U+202E, U+2066–U+2069), and U+2028/U+2029 line and paragraph separators.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
# In a single-line value (a name, an identifier, a query parameter) tab and newlines too.
UNSAFE_IN_ONE_LINE = re.compile(UNSAFE_CHARACTERS.pattern[:-1] + "\t\n\r]")


def has_unsafe_characters(text: str, *, one_line: bool = True) -> bool:
    pattern = UNSAFE_IN_ONE_LINE if one_line else UNSAFE_CHARACTERS
    return bool(pattern.search(text))
