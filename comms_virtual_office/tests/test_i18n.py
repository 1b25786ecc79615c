from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestTranslations(VirtualOfficeCase):
    def test_messages_in_the_clients_language(self):
        """Smoke test: the addon's translations load and are used."""
        langs = ["fr_FR", "pl_PL", "ro_RO"]
        for lang in langs:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["comms_virtual_office"], langs)
        item = self.create_item(self.client_a)
        item.scan_ids = self.make_scan()
        english = item._scan_request_refusal()
        for lang in langs:
            message = item.with_context(lang=lang)._scan_request_refusal()
            self.assertTrue(message)
            self.assertNotEqual(message, english, lang)
