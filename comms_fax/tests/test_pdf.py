import io

from PIL import Image
from pypdf import PdfWriter

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.comms_fax.tools import pdf

from .common import make_blank_pdf, make_pdf, pdf_pages, pdf_text


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
