#!/usr/bin/python3
"""Writes one interview-shaped text in every format thema imports.

    gen_formats.py MB OUTDIR

The same words (seeded, generated: turns of 20 to 120 words by an
interviewer and three respondents, a heading every 40 turns) are written as a
.txt transcript, a .md document, .docx, .odt, a windows-1252 .html page, a
.pdf (Helvetica, 50 lines a page), a ParlaMint-style TEI .xml and a ParlaMint
text export with its -meta.tsv. MANIFEST says how many words and turns.
"""
import os
import random
import sys
import zipfile
from xml.sax.saxutils import escape

MB = float(sys.argv[1])
OUT = sys.argv[2]
os.makedirs(OUT, exist_ok=True)
rng = random.Random(13)
VOCAB = ("het netwerk samenwerking gemeente overleg vertrouwen afspraken lokaal bestuur "
         "burgemeester schepen ambtenaar regio project subsidie provincie welzijn "
         "zorg armoede beleid vergadering stuurgroep partners engagement tijd "
         "middelen evaluatie ervaring kennis delen leren één café financiën "
         "we hebben toen ook eigenlijk wel dat is zeker niet altijd makkelijk "
         "maar samen met de anderen werd het beter en sneller").split()
SPEAKERS = ["Interviewer", "R1", "R2", "R3"]

turns, size, heading = [], 0, 0
while size < MB * 1e6:
    if len(turns) % 40 == 0:
        heading += 1
        turns.append(("#", f"Deel {heading}"))
    words = [rng.choice(VOCAB) for _ in range(rng.randint(20, 120))]
    text = " ".join(words).capitalize() + "."
    spk = SPEAKERS[0] if len(turns) % 2 else rng.choice(SPEAKERS[1:])
    turns.append((spk, text))
    size += len(text) + len(spk) + 3
body = [t for t in turns if t[0] != "#"]
nwords = sum(len(t.split()) for _, t in body)


def write(name, data, mode="w", enc="utf-8"):
    with open(os.path.join(OUT, name), mode, **({} if "b" in mode else {"encoding": enc})) as f:
        f.write(data)


write("interview.txt", "".join(f"{s}: {t}\n" for s, t in body))
write("interview.md", "".join(f"## {t}\n\n" if s == "#" else f"{s}: {t}\n\n" for s, t in turns))

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="paragraph" '
          f'w:styleId="Kop2"><w:name w:val="heading 2"/></w:style></w:styles>')
paras = "".join(
    f'<w:p><w:pPr><w:pStyle w:val="Kop2"/></w:pPr><w:r><w:t>{escape(t)}</w:t></w:r></w:p>'
    if s == "#" else f'<w:p><w:r><w:t xml:space="preserve">{s}: {escape(t)}</w:t></w:r></w:p>'
    for s, t in turns)
with zipfile.ZipFile(os.path.join(OUT, "interview.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("word/styles.xml", (2024, 1, 1, 0, 0, 0)), styles)
    z.writestr(zipfile.ZipInfo("word/document.xml", (2024, 1, 1, 0, 0, 0)),
               f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{paras}'
               f'</w:body></w:document>', zipfile.ZIP_DEFLATED)

T = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
O = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
paras = "".join(f'<text:h text:outline-level="2">{escape(t)}</text:h>' if s == "#"
                else f"<text:p>{s}: {escape(t)}</text:p>" for s, t in turns)
with zipfile.ZipFile(os.path.join(OUT, "interview.odt"), "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    z.writestr(zipfile.ZipInfo("content.xml", (2024, 1, 1, 0, 0, 0)),
               f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {O} {T}>'
               f"<office:body><office:text>{paras}</office:text></office:body>"
               f"</office:document-content>", zipfile.ZIP_DEFLATED)

html = ['<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">'
        "<title>Interview</title></head><body>"]
html += [f"<h2>{escape(t)}</h2>" if s == "#" else
         f"<p class=MsoNormal>{s}: {escape(t)}<o:p></o:p></p>" for s, t in turns]
html.append("</body></html>\n")
write("interview.html", "\n".join(html), enc="cp1252")

# PDF: lines of at most 90 characters, 50 a page, a blank line between turns.
lines = []
for s, t in turns:
    words, line = (t if s == "#" else f"{s}: {t}").split(), ""
    for w in words:
        if len(line) + len(w) + 1 > 90:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines += [line, ""]
objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
kids, n = [], 4
for p in range(0, len(lines), 50):
    ops = ["BT", "/F1 10 Tf", "14 TL", "50 800 Td"]
    for line in lines[p:p + 50]:
        text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({text}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objs[n + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objs[n] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font"
               b" << /F1 3 0 R >> >> /Contents %d 0 R >>" % (n + 1))
    kids.append(n)
    n += 2
objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + \
    b"] /Count %d >>" % len(kids)
pdf, offsets = bytearray(b"%PDF-1.4\n"), {}
for i in sorted(objs):
    offsets[i] = len(pdf)
    pdf += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (n) + b"".join(
    b"%010d 00000 n \n" % offsets[i] for i in range(1, n))
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)
write("interview.pdf", bytes(pdf), "wb")

tei = ['<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
       "<teiHeader><fileDesc><titleStmt><title>Interview</title></titleStmt></fileDesc>"
       "</teiHeader><text><body><div>"]
tsv = ["Text_ID\tID\tTitle\tDate\tSpeaker_role\tSpeaker_party\tSpeaker_name\tSpeaker_gender"]
txt = []
for i, (s, t) in enumerate(body):
    tei.append(f'<u xml:id="u{i}" who="#{s}"><seg>{escape(t)}</seg>'
               f'<note>(noot)</note></u>')
    tsv.append(f"interview\tu{i}\tInterview\t2024-01-01\tRegular\tP{len(s)}\t{s}\t-")
    txt.append(f"u{i}\t{t}")
tei.append("</div></body></text></TEI>\n")
write("interview.xml", "\n".join(tei))
write("parlamint.txt", "\n".join(txt) + "\n")
write("parlamint-meta.tsv", "\n".join(tsv) + "\n")
write("MANIFEST", f"words={nwords}\nturns={len(body)}\nheadings={heading}\n")
