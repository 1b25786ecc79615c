"""PDF handling for faxes: page counts, TIFF conversion, merging, cover pages."""

import io
import logging

from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

_logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*")


class PdfError(ValueError):
    """A document that is not a readable PDF (corrupt, encrypted, not a PDF)."""


def is_tiff(data, mimetype=None):
    return mimetype in ("image/tiff", "image/tif") or data[:4] in TIFF_MAGICS


def tiff_to_pdf(data):
    """One PDF page per TIFF frame (faxes are multi-page TIFFs)."""
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as error:
        raise PdfError(str(error)) from error
    output = io.BytesIO()
    frames[0].save(output, "PDF", save_all=True, append_images=frames[1:])
    return output.getvalue()


def _reader(data):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PyPdfError, ValueError, TypeError, KeyError, OSError) as error:
        raise PdfError(str(error) or type(error).__name__) from error
    if reader.is_encrypted:
        raise PdfError("encrypted")
    return reader


def page_count(data):
    """The number of pages of the PDF `data`, or None when it cannot be read."""
    if not data or not data.startswith(PDF_MAGIC):
        return None
    try:
        return len(_reader(data).pages)
    except (PdfError, PyPdfError, ValueError, TypeError, KeyError, OSError) as error:
        _logger.info("Unreadable fax document: %s", error)
        return None


def merge(documents):
    """One PDF made of `documents` (PDF bytes) in order; PdfError names the bad one
    by its index."""
    writer = PdfWriter()
    for index, data in enumerate(documents):
        try:
            writer.append(_reader(data))
        except (PdfError, PyPdfError, ValueError, TypeError, KeyError) as error:
            raise PdfError(f"{index}: {error}") from error
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def cover_page(title, lines, note=""):
    """A one-page A4 PDF: a title, `lines` of (label, value) and a free note."""
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    width, height = A4
    y = height - 30 * mm
    page.setFont("Helvetica-Bold", 28)
    page.drawString(25 * mm, y, title)
    y -= 18 * mm
    for label, value in lines:
        page.setFont("Helvetica-Bold", 12)
        page.drawString(25 * mm, y, label)
        page.setFont("Helvetica", 12)
        page.drawString(70 * mm, y, str(value or ""))
        y -= 9 * mm
    page.line(25 * mm, y, width - 25 * mm, y)
    y -= 12 * mm
    text = page.beginText(25 * mm, y)
    text.setFont("Helvetica", 11)
    for line in (note or "").splitlines():
        text.textLine(line)
    page.drawText(text)
    page.showPage()
    page.save()
    return output.getvalue()
