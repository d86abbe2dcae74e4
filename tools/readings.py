#!/usr/bin/env python3
"""Makes kyoso's reading dictionary (src/search/readings/ipadic.tsv.gz) from IPADIC, as
Debian's mecab-ipadic package ships it. The search adds readings at build time: a page's
words in kanji are looked up here, and a reader's query in hiragana (かいもの) finds them
(買い物). See docs/search-index.md, "r/".

Not run by the build: run it by hand when the selection should change, and commit its
output. Reproducible: the same package gives the same bytes (gzip without a time stamp).

    apt-get download mecab-ipadic          # or any copy of mecab-ipadic_2.7.0-20070801*.deb
    python3 tools/readings.py mecab-ipadic_2.7.0-20070801+main-3_all.deb

Kept: entries whose surface starts with a kanji and has only kanji and kana (what a page's
CJK runs are cut into), of the parts of speech people search for: nouns (common, verbal,
adjectival, adverbial, suffixes such as 体 in 協議体, numerals), prefixes (非 in 非同期),
verbs and adjectives in their dictionary form and their 連用形 (見守る, 見守り — the
form Japanese nouns are made of), adverbs, adnominals, conjunctions. Readings are IPADIC's katakana, written as hiragana;
readings of one kana are dropped (a one-character query is a prefix search already).
Proper nouns (Noun.place, Noun.org, Noun.proper, Noun.name: 150,000 entries, mostly
place names) are left out: they would make the file 1.3 MB instead of 0.46 MB.

Output: UTF-8 lines `reading<TAB>surface surface …`, sorted by reading, gzipped.
Standard library only (the .deb is an ar archive holding a tar).
"""
import gzip
import io
import sys
import tarfile
from pathlib import Path

FILES = {
    "Noun.csv", "Noun.verbal.csv", "Noun.adjv.csv", "Noun.adverbal.csv", "Noun.number.csv",
    "Noun.others.csv", "Suffix.csv", "Prefix.csv", "Verb.csv", "Adj.csv", "Adverb.csv",
    "Adnominal.csv", "Conjunction.csv",
}
# Verb and adjective forms kept (column 10, 活用形).
FORMS = {"*", "基本形", "連用形"}


def is_kanji(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def is_kana(c):
    o = ord(c)
    return 0x3041 <= o <= 0x3096 or 0x30A1 <= o <= 0x30FA or c in "ー々ゝゞヽヾ"


def hiragana(katakana):
    return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in katakana)


def ar_members(data):
    """The members of an ar archive (a .deb): name → bytes."""
    assert data[:8] == b"!<arch>\n", "not a .deb"
    i, out = 8, {}
    while i + 60 <= len(data):
        name = data[i:i + 16].decode().strip().rstrip("/")
        size = int(data[i + 48:i + 58].decode().strip())
        out[name] = data[i + 60:i + 60 + size]
        i += 60 + size + (size & 1)
    return out


def csv_files(deb):
    members = ar_members(Path(deb).read_bytes())
    name = next(n for n in members if n.startswith("data.tar"))
    with tarfile.open(fileobj=io.BytesIO(members[name])) as tar:
        for m in tar.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            if base in FILES:
                yield base, tar.extractfile(m).read().decode("euc-jp")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    by_reading = {}
    for name, text in csv_files(sys.argv[1]):
        for line in text.splitlines():
            col = line.split(",")
            if len(col) < 12:
                continue
            surface, pos, pos2, form, reading = col[0], col[4], col[5], col[9], col[11]
            if form not in FORMS:
                continue
            if not surface or not is_kanji(surface[0]) or not all(is_kanji(c) or is_kana(c) for c in surface):
                continue
            r = hiragana(reading)
            if len(r) < 2 or not all(is_kana(c) for c in r):
                continue
            by_reading.setdefault(r, set()).add(surface)
    lines = "".join(f"{r}\t{' '.join(sorted(s))}\n" for r, s in sorted(by_reading.items()))
    out = Path(__file__).resolve().parent.parent / "src" / "search" / "readings" / "ipadic.tsv.gz"
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(lines.encode())
    out.write_bytes(buf.getvalue())
    print(f"{out}: {len(by_reading)} readings, {sum(len(s) for s in by_reading.values())} surfaces, "
          f"{len(lines.encode())} bytes, {len(buf.getvalue())} gzipped")


if __name__ == "__main__":
    main()
