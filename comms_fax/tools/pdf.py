"""PDF handling for faxes: page counts, TIFF conversion, merging, cover pages."""

import io
import logging
import re
import subprocess
import tempfile
import warnings

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
        with warnings.catch_warnings(action="ignore"):  # see _tiff_page_count
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


def page_count(data, mimetype=None):
    """The number of pages of the fax `data` (PDF or TIFF), or None when no reader
    can count them. Real faxes often have broken metadata: a strict read, then a
    lenient one, then poppler's pdfinfo, which reads what pypdf gives up on."""
    if data and is_tiff(data, mimetype):
        return _tiff_page_count(data)
    if not data or PDF_MAGIC not in data[:1024]:
        return None
    for count_pages in (_pypdf_strict_count, _pypdf_lenient_count, _pdfinfo_count):
        try:
            count = count_pages(data)
        except (
            PdfError,
            PyPdfError,
            ValueError,
            TypeError,
            KeyError,
            OSError,
        ) as error:
            _logger.info(
                "%s cannot count the fax's pages: %s", count_pages.__name__, error
            )
            continue
        if count:
            return count
    return None


def _tiff_page_count(data):
    try:
        # Pillow warns of each damaged tag of a broken TIFF: one log line is enough.
        with warnings.catch_warnings(action="ignore"):
            return Image.open(io.BytesIO(data)).n_frames or None
    except (UnidentifiedImageError, OSError) as error:
        _logger.info("Unreadable TIFF fax: %s", error)
        return None


def _pypdf_strict_count(data):
    reader = PdfReader(io.BytesIO(data), strict=True)
    if reader.is_encrypted:
        raise PdfError("encrypted")
    return len(reader.pages)


def _pypdf_lenient_count(data):
    return len(_reader(data).pages)


def _pdfinfo_count(data):
    """Poppler's count; its reader rebuilds broken cross-reference tables and page
    trees. Needs poppler-utils; without it this reader just cannot count."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as document:
        document.write(data)
        document.flush()
        result = subprocess.run(
            ["pdfinfo", document.name],
            capture_output=True,
            timeout=60,
            check=False,
        )
    if result.returncode:
        raise PdfError(result.stderr.decode(errors="replace").strip()[:200])
    found = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(found.group(1)) if found else None


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
