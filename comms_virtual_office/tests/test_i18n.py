from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestTranslations(VirtualOfficeCase):
    def test_messages_in_the_clients_language(self):
        expected = {
            "fr_FR": "Ce courrier a déjà été numérisé.",
            "pl_PL": "Ta przesyłka została już zeskanowana.",
            "ro_RO": "Această corespondență a fost deja scanată.",
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["comms_virtual_office"], list(expected)
        )
        item = self.create_item(self.client_a)
        item.scan_ids = self.make_scan()
        for lang, message in expected.items():
            self.assertEqual(
                item.with_context(lang=lang)._scan_request_refusal(), message
            )
        state = self.env["comms.mail.item"].with_context(lang="fr_FR")._fields["state"]
        labels = dict(state._description_selection(item.with_context(lang="fr_FR").env))
        self.assertEqual(labels["to_collect"], "À retirer")
