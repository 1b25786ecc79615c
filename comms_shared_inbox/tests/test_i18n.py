from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CommsCase

LANGS = ("fr_FR", "pl_PL", "ro_RO")


@tagged("post_install", "-at_install")
class TestSharedInboxTranslations(CommsCase):
    """A smoke test: the addon's translations load and reach what users read."""

    def test_messages_in_the_users_language(self):
        for lang in LANGS:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["comms_shared_inbox"], list(LANGS)
        )
        self.group._receive_sms("+33612345678", "Bonjour", "SMi18n")
        conversation = self.conversation_of(phone="+33612345678")
        for lang in LANGS:
            with self.subTest(lang), self.assertRaises(UserError) as refusal:
                conversation.with_context(lang=lang)._ignore(" ")
            self.assertNotIn("Say why", str(refusal.exception), lang)
            state = self.env["comms.conversation"]._fields["state"]
            labels = dict(
                state._description_selection(self.env(context={"lang": lang}))
            )
            self.assertNotEqual(labels["claimed"], "Claimed", lang)
