"""PDFs for tests: a minimal one written by hand (one page of text and URI link annotations, for
link tests), and real Chromium PDFs turned into what a legacy Thai font leaves (``legacy_font_pdf``)."""

from __future__ import annotations

import re
import zlib


def pdf_with_links(uris: list[str], text: str = "OIT index") -> bytes:
    """A one-page PDF showing ``text`` with a link annotation to each URI (ASCII URIs)."""
    refs = " ".join(f"{6 + i} 0 R" for i in range(len(uris)))
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         f"/Resources << /Font << /F1 5 0 R >> >> /Annots [{refs}] >>").encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *(f"<< /Type /Annot /Subtype /Link /Rect [72 {600 - 20 * i} 300 {615 - 20 * i}] /Border [0 0 0] "
          f"/A << /S /URI /URI ({uri}) >> >>".encode() for i, uri in enumerate(uris)),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- legacy Thai fonts ----------------------------------------------------------------------

_KEYS = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./" + '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
_KEDMANEE = ("_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
             "%+๑๒๓๔ู฿๕๖๗๘๙๐\"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ")
LEGACY_KEYS: dict[str, str] = {thai: key for key, thai in zip(_KEYS, _KEDMANEE, strict=True) if "\u0e00" <= thai <= "\u0e7f"}
"""Thai character -> the key that types it on the Thai (Kedmanee) keyboard: old Thai fonts drew
each Thai glyph at that Latin code, so their PDFs' text layers read as these keys."""


def to_legacy_keys(text: str) -> str:
    """What a legacy Thai font leaves in a text layer for ``text``: ``รายงาน`` -> ``ikp'ko``."""
    from oit_checker.thai import PUA_THAI

    return "".join(LEGACY_KEYS.get(PUA_THAI.get(ch, ch), ch) for ch in text)


_OBJ_RE = re.compile(rb"(\d+) 0 obj\s*")
_FONT_RE = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)(?=[\s/>]).*?/ToUnicode\s+(\d+) 0 R", re.S)
_FONT_REF_RE = re.compile(rb"/(F\d+)\s+(\d+) 0 R")
_BFCHAR_RE = re.compile(rb"\d+ beginbfchar\s*(.*?)endbfchar\s*", re.S)
_BFRANGE_RE = re.compile(rb"\d+ beginbfrange\s*(.*?)endbfrange\s*", re.S)
_PAIR_RE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE_RE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_CONTENT_OP_RE = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|/ActualText\s*<FEFF([0-9A-Fa-f]*)>")


def legacy_font_pdf(pdf: bytes, fonts: tuple[str, ...] = ("",)) -> bytes:
    """``pdf`` (a Chromium/Skia PDF: plain objects, Flate streams) as a legacy Thai font leaves it:
    the ToUnicode maps of the fonts whose name contains one of ``fonts`` (all by default) and the
    /ActualText drawn with them send Thai to Latin keys (``to_legacy_keys``). The page looks the
    same (glyphs are untouched); its text layer is garbage."""
    objects, trailer = _pdf_objects(pdf)
    chosen: dict[int, str] = {}  # font object -> its name, for the fonts to garble
    for number, (head, _) in objects.items():
        found = _FONT_RE.search(head)
        if found and any(f.encode() in found[1] for f in fonts):
            chosen[number] = found[1].decode()
            cmap_number = int(found[2])
            cmap_head, cmap = objects[cmap_number]
            objects[cmap_number] = (cmap_head, zlib.compress(_legacy_cmap(zlib.decompress(cmap or b""))))
    names = {name for head, _ in objects.values() for name, ref in _FONT_REF_RE.findall(head) if int(ref) in chosen}
    for number, (head, data) in list(objects.items()):
        if data is not None and b"/FlateDecode" in head and not _FONT_RE.search(head):
            try:
                content = zlib.decompress(data)
            except zlib.error:
                continue
            if b"/ActualText" in content:
                objects[number] = (head, zlib.compress(_legacy_actual_text(content, names)))
    return _pdf_write(objects, trailer)


def _legacy_hex(units: bytes) -> bytes:
    text = bytes.fromhex(units.decode()).decode("utf-16-be")
    return to_legacy_keys(text).encode("utf-16-be").hex().upper().encode()


def _legacy_cmap(cmap: bytes) -> bytes:
    """Every bfrange expanded to bfchars (a range of Thai maps to scattered keys), every Thai target
    replaced by its key."""
    pairs = [(src, dst) for body in _BFCHAR_RE.findall(cmap) for src, dst in _PAIR_RE.findall(body)]
    for body in _BFRANGE_RE.findall(cmap):
        for lo, hi, dst in _RANGE_RE.findall(body):
            for offset in range(int(hi, 16) - int(lo, 16) + 1):
                pairs.append((f"{int(lo, 16) + offset:0{len(lo)}X}".encode(), b"%04X" % (int(dst, 16) + offset)))
    lines = b"\n".join(b"<%s> <%s>" % (src, _legacy_hex(dst)) for src, dst in pairs)
    cmap = _BFRANGE_RE.sub(b"", _BFCHAR_RE.sub(b"", cmap))
    return cmap.replace(b"endcmap", b"%d beginbfchar\n%s\nendbfchar\nendcmap" % (len(pairs), lines), 1)


def _legacy_actual_text(content: bytes, names: set[bytes]) -> bytes:
    """/ActualText of glyphs drawn with the garbled fonts, sent to Latin keys too."""
    out, done, font = [], 0, b""
    for match in _CONTENT_OP_RE.finditer(content):
        if match[1] is not None:
            font = match[1]
            continue
        if font in names:
            out += [content[done:match.start(2)], _legacy_hex(match[2])]
            done = match.end(2)
    return b"".join([*out, content[done:]])


def _pdf_objects(pdf: bytes) -> tuple[dict[int, tuple[bytes, bytes | None]], bytes]:
    """Object number -> (dictionary text, raw stream data or None), and the trailer's /Root and /Info."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    pos = 0
    while (match := _OBJ_RE.search(pdf, pos)) is not None:
        start, end = match.end(), pdf.find(b"endobj", match.end())
        stream = pdf.find(b"stream", start, end)
        if stream >= 0:
            head = pdf[start:stream]
            length = int(re.search(rb"/Length\s+(\d+)", head)[1])  # type: ignore[index]
            data_at = stream + 6 + (2 if pdf[stream + 6:stream + 8] == b"\r\n" else 1)
            objects[int(match[1])] = (head, pdf[data_at:data_at + length])
            end = pdf.find(b"endobj", data_at + length)
        else:
            objects[int(match[1])] = (pdf[start:end], None)
        pos = end + 6
    trailer = b" ".join(re.findall(rb"/(?:Root|Info)\s+\d+ 0 R", pdf[pdf.rfind(b"trailer"):]))
    return objects, trailer


def _pdf_write(objects: dict[int, tuple[bytes, bytes | None]], trailer: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        head, data = objects[number]
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode()
        if data is None:
            out += head.rstrip() + b"\n"
        else:
            head = re.sub(rb"/Length\s+\d+", b"/Length %d" % len(data), head.rstrip())
            out += head + b" stream\n" + data + b"\nendstream\n"
        out += b"endobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode() if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return bytes(out)


def scan_with_hidden_text(scan: bytes, hidden: str) -> bytes:
    """``scan`` (a one-page Chromium PDF holding a page image) with an invisible text layer
    (text render mode 3, Helvetica) holding ``hidden``: how "searchable" scans carry a text layer
    that nobody sees — here the legacy-font garbage of what the image shows."""
    objects, trailer = _pdf_objects(scan)
    font = max(objects) + 1
    objects[font] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", None)
    page = next(n for n, (head, _) in objects.items() if re.search(rb"/Type\s*/Page\b", head))
    head, _ = objects[page]
    objects[page] = (head.replace(b"/Resources <<", b"/Resources <</Font <</FH %d 0 R>>" % font, 1), None)
    contents = int(re.search(rb"/Contents\s+(\d+) 0 R", head)[1])  # type: ignore[index]
    content_head, data = objects[contents]
    lines = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in hidden.splitlines()]
    text = "BT /FH 12 Tf 3 Tr 16 TL 1 0 0 1 60 780 Tm " + " ".join(f"({line}) '" for line in lines) + " ET"
    body = zlib.decompress(data or b"") + b"\n" + text.encode("latin-1")
    objects[contents] = (content_head, zlib.compress(body))
    return _pdf_write(objects, trailer)
