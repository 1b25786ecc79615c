import io

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.comms_fax.tools import pdf

from .common import make_blank_pdf, make_pdf, make_tiff, pdf_pages, pdf_text


def raw_pdf(catalog, pages_node, kids):
    """A 4-page PDF written object by object, with a correct cross-reference
    table, whose catalog, page tree node and /Kids are given as PDF source."""
    objects = [catalog, pages_node]
    for number in range(4):
        content = b"BT /F1 12 Tf 72 720 Td (Page %d) Tj ET" % (number + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
        )
    output = io.BytesIO(b"%PDF-1.4\n")
    output.seek(0, io.SEEK_END)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, body % {b"kids": kids}))
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    output.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return output.getvalue()


KIDS = b"3 0 R 5 0 R 7 0 R 9 0 R"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


@tagged("post_install", "-at_install")
class TestPdf(BaseCase):
    def test_page_count_of_a_200_page_document(self):
        self.assertEqual(pdf.page_count(make_blank_pdf(200)), 200)
        self.assertEqual(pdf.page_count(make_pdf(3)), 3)

    @mute_logger("pypdf._reader")
    def test_corrupt_or_encrypted_documents_have_no_page_count(self):
        document = make_pdf(4)
        self.assertIsNone(pdf.page_count(document[: len(document) // 3]))
        self.assertIsNone(pdf.page_count(b"%PDF-1.4 garbage"))
        self.assertIsNone(pdf.page_count(b"not a pdf at all"))
        writer = PdfWriter(clone_from=io.BytesIO(document))
        writer.encrypt("secret")
        encrypted = io.BytesIO()
        writer.write(encrypted)
        self.assertIsNone(pdf.page_count(encrypted.getvalue()))

    def test_sound_pdf_written_by_hand_is_counted(self):
        document = raw_pdf(
            CATALOG, b"<< /Type /Pages /Kids [%(kids)s] /Count 4 >>", KIDS
        )
        self.assertEqual(pdf_pages(document), 4)
        self.assertEqual(pdf.page_count(document), 4)

    @mute_logger("pypdf._reader", "odoo.addons.comms_fax.tools.pdf")
    def test_page_tree_with_a_missing_kid_is_read_leniently(self):
        document = raw_pdf(
            CATALOG, b"<< /Type /Pages /Kids [%(kids)s 40 0 R] /Count 4 >>", KIDS
        )
        with self.assertRaises(PyPdfError):
            len(PdfReader(io.BytesIO(document), strict=True).pages)
        self.assertEqual(pdf.page_count(document), 4)

    @mute_logger("pypdf._reader", "odoo.addons.comms_fax.tools.pdf")
    def test_page_tree_pypdf_gives_up_on_is_counted_by_pdfinfo(self):
        # A /Kids array naming its own node: pypdf stops, poppler skips the loop.
        document = raw_pdf(
            CATALOG, b"<< /Type /Pages /Kids [%(kids)s 2 0 R] /Count 4 >>", KIDS
        )
        for strict in (True, False):
            with self.assertRaisesRegex(PyPdfError, "cyclic"):
                len(PdfReader(io.BytesIO(document), strict=strict).pages)
        self.assertEqual(pdf.page_count(document), 4)

    @mute_logger("pypdf._reader", "odoo.addons.comms_fax.tools.pdf")
    def test_pages_no_reader_finds_are_unknown(self):
        # "Invalid object in /Pages": the catalog names no page tree at all.
        document = raw_pdf(b"<< /Type /Catalog /Pages [] >>", b"<< >>", KIDS)
        with self.assertRaisesRegex(PyPdfError, "Invalid object in /Pages"):
            len(PdfReader(io.BytesIO(document), strict=False).pages)
        self.assertIsNone(pdf.page_count(document))

    def test_tiff_pages_are_counted_with_pillow(self):
        self.assertEqual(pdf.page_count(make_tiff(3)), 3)
        self.assertEqual(pdf.page_count(make_tiff(1), "image/tiff"), 1)
        self.assertIsNone(pdf.page_count(b"II*\x00 not really a TIFF"))

    def test_multi_page_tiff_becomes_one_pdf_page_per_frame(self):
        frames = [Image.new("1", (1728, 2200), color=1) for _index in range(3)]
        tiff = io.BytesIO()
        frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
        self.assertTrue(pdf.is_tiff(tiff.getvalue()))
        self.assertEqual(pdf_pages(pdf.tiff_to_pdf(tiff.getvalue())), 3)

    def test_merge_keeps_the_order_of_the_documents(self):
        merged = pdf.merge([make_pdf(2, "Order"), make_pdf(1, "Invoice")])
        texts = pdf_text(merged)
        self.assertEqual(len(texts), 3)
        self.assertIn("Order 1/2", texts[0])
        self.assertIn("Order 2/2", texts[1])
        self.assertIn("Invoice 1/1", texts[2])

    @mute_logger("pypdf._reader")
    def test_merge_names_the_unreadable_document(self):
        with self.assertRaisesRegex(pdf.PdfError, "^1:"):
            pdf.merge([make_pdf(1), b"%PDF-1.7 broken"])

    def test_cover_page(self):
        cover = pdf.cover_page("Fax", [("To", "Garage Martin")], "Please sign.")
        text = pdf_text(cover)
        self.assertEqual(len(text), 1)
        self.assertIn("Garage Martin", text[0])
        self.assertIn("Please sign.", text[0])
