"""A minimal PDF written by hand: one page of text and URI link annotations (for link tests)."""

from __future__ import annotations


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
