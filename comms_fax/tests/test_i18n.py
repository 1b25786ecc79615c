from odoo.tests import tagged

from .common import FaxCase, make_pdf

LANGS = ("fr_FR", "pl_PL", "ro_RO")


@tagged("post_install", "-at_install")
class TestFaxTranslations(FaxCase):
    """A smoke test: the addon's translations load and reach what users read."""

    def test_messages_in_the_users_language(self):
        for lang in LANGS:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["comms_fax"], list(LANGS))
        for index, lang in enumerate(LANGS):
            line = self.line.with_context(lang=lang)
            fax = line._receive_fax("+33612345678", make_pdf(2), f"i18n-{index}")
            body = fax.comms_message_id.mail_message_id.body
            self.assertIn("+33612345678", body)
            self.assertNotIn("Fax received from", body, lang)
            withheld = line._receive_fax("anonymous", make_pdf(1), f"i18n-w{index}")
            self.assertNotEqual(withheld.remote_label, "number withheld", lang)
            state = self.env["comms.fax"]._fields["state"]
            labels = dict(
                state._description_selection(self.env(context={"lang": lang}))
            )
            self.assertNotEqual(labels["failed"], "Failed", lang)
