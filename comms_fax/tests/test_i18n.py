from odoo.tests import tagged

from .common import FaxCase, make_pdf


@tagged("post_install", "-at_install")
class TestFaxTranslations(FaxCase):
    def test_messages_in_the_users_language(self):
        expected = {
            "fr_FR": "Fax reçu de +33612345678 : 2 page(s).",
            "pl_PL": "Faks odebrany od +33612345678: 2 stron(y).",
            "ro_RO": "Fax primit de la +33612345678: 2 pagină(i).",
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["comms_fax"], list(expected))
        for index, (lang, text) in enumerate(expected.items()):
            fax = self.line.with_context(lang=lang)._receive_fax(
                "+33612345678", make_pdf(2), f"i18n-{index}"
            )
            self.assertIn(text, fax.comms_message_id.mail_message_id.body)
        state = self.env["comms.fax"].with_context(lang="fr_FR")._fields["state"]
        labels = dict(state._description_selection(self.env(context={"lang": "fr_FR"})))
        self.assertEqual(labels["failed"], "Échec")
