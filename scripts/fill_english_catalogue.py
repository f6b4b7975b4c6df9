"""Fill the English catalogue: our msgids are English, so each msgstr is its msgid.

Run by `make messages` after makemessages; the Swedish catalogue is translated by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def main(path: str) -> None:
    catalogue = polib.pofile(path)
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save(path)


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else str(Path("egenmakt/locale/en/LC_MESSAGES/django.po"))
    )
