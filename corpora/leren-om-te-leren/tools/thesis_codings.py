#!/usr/bin/env python3
"""Build codings-thesis.csv: the author's own coding of the study (python3, stdlib only).

Chapter 4 of the thesis places every respondent quote under the section of its
theme (4.1 belang ... 4.5.5 maturiteit). That placement is the author's coding.
This script reads chapter 4 of the thesis (the PDF-to-Markdown conversion the
corpus was built from), finds every quote that starts a paragraph
(`LABEL: text`, with or without the Markdown italics), maps it onto the
transcript turn it became (same label, same opening words, in order of
appearance) and onto the codebook's code for its section:

  4.1  belang/...                 4.5.1 randvoorwaarden/draagvlak
  4.2  leren-in-de-praktijk/...   4.5.2 randvoorwaarden/schaalgrootte
  4.3  benchlearning/...          4.5.3 randvoorwaarden/coordinatie
  4.4  coordinerende-rol/rol-agii 4.5.4 randvoorwaarden/agenda
                                  4.5.5 randvoorwaarden/maturiteit

Sections 4.1-4.3 are themes with several codes each; the code of each of their
quotes is the one the author's own sentence introducing it names (REFINED
below, each with the words of that sentence). One code per quote: the thesis
places each quote once. Interviewer lines (`I:`) are questions, not coded.

Usage: thesis_codings.py THESIS.md [CORPUS_DIR] > codings-thesis.csv
Unmatched quotes and turns are reported on stderr; exit 1 when the thesis has
a quote under a theme section without a refinement (the table is incomplete).
"""
import csv
import os
import re
import sys

SECTION_CODE = {
    "4.4": "coordinerende-rol/rol-agii",
    "4.5.1": "randvoorwaarden/draagvlak",
    "4.5.2": "randvoorwaarden/schaalgrootte",
    "4.5.3": "randvoorwaarden/coordinatie",
    "4.5.4": "randvoorwaarden/agenda",
    "4.5.5": "randvoorwaarden/maturiteit",
}
SECTION_THEME = {"4.1": "belang", "4.2": "leren-in-de-praktijk", "4.3": "benchlearning"}

# (section, label, n-th quote of that label in the section) -> (code, the
# author's words that introduce the quote)
REFINED = {
    ("4.1", "R2.1", 1): ("behoefte", "onderling leren zelfs een noodzaak is"),
    ("4.1", "R2.2", 1): ("behoefte", "erkenning van de behoefte aan interorganisatieel leren"),
    ("4.1", "R (AgII)", 1): ("meerwaarde", "de uitwisseling van kennis en informatie ... het primaire doel"),
    ("4.1", "R (VVSG)", 1): ("meerwaarde", "de uitwisseling van kennis en informatie ... het primaire doel"),
    ("4.1", "R2.5", 1): ("meerwaarde", "het louter op de hoogte zijn van wat andere lokale besturen doen"),
    ("4.2", "R1.3", 1): ("formeel-overleg", "de informatie-uitwisseling tijdens hun overleg"),
    ("4.2", "R3.5", 1): ("formeel-overleg", "hun overlegmomenten ... een belangrijke manier om van elkaar te kunnen leren"),
    ("4.2", "R3.5", 2): ("informeel-contact", "het belang van informele contacten ... via mail of de telefoon"),
    ("4.2", "R (AgII)", 1): ("informeel-contact", "het belang van informele contacten tijdens de LID-overleggen"),
    ("4.2", "R2.1", 1): ("netwerkleren", "netwerken kan immers ook een belangrijke motivatie zijn"),
    ("4.2", "R2.1", 2): ("impliciete-kennis", "impliciete, diepgaande kennis ... overdracht van goede praktijken"),
    ("4.2", "R1.1", 1): ("expliciete-kennis", "expliciete kennis ... de uitwisseling van praktische zaken"),
    ("4.2", "R3.1", 1): ("expliciete-kennis", "de website van het AgII ... overdracht van expliciete kennis"),
    ("4.2", "R2.6", 1): ("expliciete-kennis", "sceptisch ten aanzien van dergelijke vormen van expliciete kennis"),
    ("4.2", "R2.1", 3): ("expliciete-kennis", "sceptisch ten aanzien van dergelijke vormen van expliciete kennis"),
    ("4.3", "R3.4", 1): ("aanpassen-aan-context", "niet simpelweg een copy-paste-handeling"),
    ("4.3", "R2.1", 1): ("niet-mimetisch-leren", "van de flaters van andere besturen leert"),
    ("4.3", "R1.1", 1): ("normatief-leren", "Leuven voor hen een voorbeeldrol vervult"),
    ("4.3", "R1.2", 1): ("normatief-leren", "Leuven voor hen een voorbeeldrol vervult"),
    ("4.3", "R1.1", 2): ("mimetisch-leren", "observatie, imitatie en leren al doende"),
    ("4.3", "R2.1", 2): ("goede-praktijken", "de bruikbaarheid van benchlearning aan de hand van een voorbeeld"),
    ("4.3", "R2.2", 1): ("goede-praktijken", "de bruikbaarheid van benchlearning aan de hand van een voorbeeld"),
    ("4.3", "R2.1", 3): ("goede-praktijken", "de bruikbaarheid van benchlearning aan de hand van een voorbeeld"),
    ("4.3", "R2.5", 1): ("scepsis-monitor", "cijfergegevens van de Gemeente- en Stadsmonitor niet als waardevol"),
    ("4.3", "R2.1", 4): ("scepsis-monitor", "heel wat meer nuancering vereist"),
    ("4.3", "R2.8", 1): ("scepsis-monitor", "heel wat meer nuancering vereist"),
    ("4.3", "R2.1", 5): ("scepsis-monitor", "heel wat meer nuancering vereist"),
}

TRANSCRIPTS = ["fg1-leuven-hageland", "fg2-centrumsteden", "fg3-limburg",
               "interview-agii", "interview-vvsg"]
LABEL = r"R\d+\.\d+|R \((?:AgII|VVSG)\)|I"
TURN_RE = re.compile(r"^(" + LABEL + r"):\s*(.*)$")
QUOTE_RE = re.compile(r"^\*?(" + LABEL + r"):\s*\*?\s*(.*)$")
HEADING_RE = re.compile(r"^#+\s*\**\s*(4(?:\.\d+)*)\.?\s+(.*?)\**\s*$")
PREFIX = 40   # characters of normalised text compared


def norm(text):
    """Text without Markdown italics and with whitespace and quotes made plain."""
    text = text.replace("*", "")
    text = re.sub(r"[‘’']", "'", text)
    text = re.sub(r"[“”\"]", '"', text)
    return re.sub(r"\s+", " ", text).strip().lower()


def thesis_quotes(path):
    """(section, title, label, normalised opening) of every quote of chapter 4."""
    quotes, section, title, inside = [], None, None, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = HEADING_RE.match(line)
            if m and m.group(1).startswith("4"):
                inside = True
                section, title = m.group(1), m.group(2).replace("*", "").strip()
                continue
            if inside and re.match(r"^#+\s*\**\s*5\.", line):
                break
            if not inside or section == "4":
                continue
            q = QUOTE_RE.match(line)
            if q:
                quotes.append((section, title, q.group(1), norm(q.group(2))[:PREFIX]))
    return quotes


def transcript_turns(corpus):
    """(source, ordinal, label, normalised opening) of every turn."""
    turns = []
    for source in TRANSCRIPTS:
        with open(os.path.join(corpus, "transcripts", source + ".txt"), encoding="utf-8") as f:
            text = f.read()
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        ordinal = 0
        for line in body.split("\n"):
            m = TURN_RE.match(line)
            if m:
                ordinal += 1
                turns.append((source, ordinal, m.group(1), norm(m.group(2))[:PREFIX]))
    return turns


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    thesis = argv[1]
    corpus = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
    try:
        quotes = thesis_quotes(thesis)
        turns = transcript_turns(corpus)
    except OSError as e:
        sys.stderr.write("thesis_codings: %s: %s; give the thesis's Markdown and the corpus "
                         "folder\n" % (e.filename, e.strerror))
        return 2
    if not quotes:
        sys.stderr.write("thesis_codings: %s: no quote found under a heading 4.x; is this the "
                         "thesis's Markdown?\n" % thesis)
        return 2
    used, rows, unmatched, missing = set(), [], [], []
    seen = {}
    for section, title, label, opening in quotes:
        key = (section, label)
        seen[key] = seen.get(key, 0) + 1
        turn = None
        for t in turns:
            if t[:2] not in used and t[2] == label and t[3] == opening:
                turn = t
                break
        if turn is None:
            unmatched.append("§%s %s: %s" % (section, label, opening))
            continue
        used.add(turn[:2])
        if label == "I":
            continue
        if section in SECTION_CODE:
            code = SECTION_CODE[section]
        elif section in SECTION_THEME:
            refined = REFINED.get((section, label, seen[key]))
            if refined is None:
                missing.append("§%s %s (quote %d of this label): %s" % (section, label, seen[key],
                                                                         opening))
                continue
            code = SECTION_THEME[section] + "/" + refined[0]
        else:
            missing.append("§%s has no code: %s %s" % (section, label, opening))
            continue
        rows.append((turn[0], turn[1], label, code, "§%s %s" % (section, title)))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["source", "segment", "speaker", "code", "coder", "memo"])
    for source, ordinal, label, code, memo in rows:
        out.writerow([source, ordinal, label, code, "thesis", memo])
    for t in turns:
        if t[:2] not in used:
            sys.stderr.write("turn without a thesis quote: %s %d %s: %s\n" % t)
    for u in unmatched:
        sys.stderr.write("thesis quote without a turn: %s\n" % u)
    for m in missing:
        sys.stderr.write("no code for: %s\n" % m)
    sys.stderr.write("%d quotes, %d turns, %d codings, %d interviewer lines not coded\n" % (
        len(quotes), len(turns), len(rows), sum(1 for q in quotes if q[2] == "I")))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
