"""An instrument's label: its asset tag as a QR code (segno), for a phone or scanner to read."""

import io

import segno


def qr_svg(tag: str) -> str:
    """An inline SVG of the tag's QR code, with a title for screen readers."""
    code = segno.make(tag, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=6,
        border=4,
        xmldecl=False,
        svgns=True,
        title=f"QR code {tag}",
        svgclass="qr",
        lineclass=None,
    )
    return out.getvalue().decode()


def qr_png(tag: str) -> bytes:
    code = segno.make(tag, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=8, border=4)
    return out.getvalue()
