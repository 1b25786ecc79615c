import time

from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestCompanySettings(VirtualOfficeCase):
    """Each company has its own office address, number, confirmation text and
    invoiced product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Second office"})
        cls.env["res.config.settings"].with_company(cls.company_b).create(
            {
                "office_email": "desk@second.example.com",
                "office_sms_number": "+32470112233",
                "office_scan_confirmation_text": "Scans are billed 2 EUR",
            }
        ).execute()
        cls.item_a = cls.create_item(cls.client_a)
        cls.item_b = cls.create_item(cls.client_b, company_id=cls.company_b.id)

    def test_each_company_tells_its_own_office(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            request_a = self.item_a._request_scan()
            request_b = self.item_b._request_scan()
        office_mails = self._new_mails.filtered("email_to")
        self.assertEqual(
            {(mail.res_id, mail.email_to) for mail in office_mails},
            {
                (request_a.id, "frontdesk@office.example.com"),
                (request_b.id, "desk@second.example.com"),
            },
        )
        texts = {sms.number: sms.body for sms in self._new_sms}
        self.assertEqual(set(texts), {"+32456998877", "+32470112233"})
        self.assertIn(self.item_a.name, texts["+32456998877"])
        self.assertIn(self.item_b.name, texts["+32470112233"])

    def test_each_company_shows_its_own_confirmation_text(self):
        expires = int(time.time()) + 3600
        for item, text, other in (
            (self.item_a, "Scanning may be charged extra", "Scans are billed 2 EUR"),
            (self.item_b, "Scans are billed 2 EUR", "Scanning may be charged extra"),
        ):
            url = item._scan_link_url(expires)
            page = self.url_open(url[url.index("/office/scan/") :])
            self.assertIn(text, page.text)
            self.assertNotIn(other, page.text)

    def test_confirmation_text_in_the_clients_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company_a.with_context(
            lang="fr_FR"
        ).office_scan_confirmation_text = (
            "La numérisation peut être facturée en supplément"
        )
        self.portal_a.lang = "fr_FR"
        item_b = self.create_item(self.client_b)
        for login, item, text, other in (
            (
                "portal_client_a",
                self.item_a,
                "La numérisation peut être facturée en supplément",
                "Scanning may be charged extra",
            ),
            (
                "portal_client_b",
                item_b,
                "Scanning may be charged extra",
                "La numérisation peut être facturée en supplément",
            ),
        ):
            self.authenticate(login, login)
            page = self.url_open(f"/my/mail/{item.id}/request_scan")
            self.assertIn(text, page.text)
            self.assertNotIn(other, page.text)

    def test_each_company_invoices_its_own_product(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", self.company_b, install_demo=False
        )
        product_b = self.env["product.product"].create(
            {"name": "Second office handling", "type": "service"}
        )
        self.env["res.config.settings"].with_company(self.company_b).create(
            {"office_invoice_product_id": product_b.id}
        ).execute()
        costs = self.env["comms.mail.item.cost"].create(
            [
                {"mail_item_id": self.item_a.id, "name": "Storage", "amount": 2.0},
                {"mail_item_id": self.item_b.id, "name": "Storage", "amount": 3.0},
            ]
        )
        costs.with_company(self.company_a).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )._create_invoices()
        cost_a, cost_b = costs
        self.assertEqual(
            cost_a.invoice_line_id.product_id,
            self.env.ref("comms_virtual_office.product_office_extra_cost"),
            "the first company sets no product: the addon's",
        )
        self.assertEqual(cost_b.invoice_line_id.product_id, product_b)
        self.assertEqual(cost_b.invoice_id.company_id, self.company_b)

    def test_new_company_defaults(self):
        company = self.env["res.company"].create({"name": "Third office"})
        self.assertEqual(
            company.office_scan_confirmation_text,
            "Scanning may be charged extra, according to your package.",
        )
        self.assertEqual(
            company._office_invoice_product(),
            self.env.ref("comms_virtual_office.product_office_extra_cost"),
        )
        self.assertFalse(company.office_email)
