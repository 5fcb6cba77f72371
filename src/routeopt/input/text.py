"""The one normalisation of cell text, and the characters no cell may hold.

Every cell the parsers read is NFKC-normalised once, by the table reader, with :func:`nfkc`
(``Ａ００１`` → ``A001``, ``９：００～１８：００`` → ``9:00~18:00``, ``ｶﾞ`` → ``ガ``); names and
addresses keep what was written. The parsers call the same function again, so that they also
accept text that did not come through the reader (a no-op on text that did).
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters refused in any cell: all but tab, line feed and carriage return (a cell
may hold several lines)."""


def nfkc(text: str) -> str:
    """``text`` NFKC-normalised (ASCII text is returned as it is, which is most cells)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def show_controls(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x00``), for a message."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def control_name(char: str) -> str:
    """How a message names a control character: ``NUL (U+0000)``."""
    names = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0B: "vertical tab", 0x0C: "form feed"}
    code = ord(char)
    return f"{names[code]} (U+{code:04X})" if code in names else f"U+{code:04X}"
