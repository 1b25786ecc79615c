from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestTranslations(ResellerCase):
    def test_refusals_in_the_users_language(self):
        expected = {
            "fr_FR": "ne peut pas passer de Essai gratuit à Facturation suspendue",
            "pl_PL": (
                "nie może przejść ze statusu Bezpłatny okres próbny do "
                "Rozliczanie wstrzymane"
            ),
            "ro_RO": (
                "nu poate trece din Perioadă de probă gratuită în Facturare suspendată"
            ),
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["comms_reseller"], list(expected)
        )
        account = self.create_account("Tango")
        for lang, message in expected.items():
            with self.subTest(lang=lang), self.assertRefused(UserError, message):
                account.with_context(lang=lang).action_suspend()
        with self.assertRefused(UserError, "Le CID et le CAN d'un compte"):
            account.with_context(lang="fr_FR").write({"cid": "1"})
        labels = dict(
            account.with_context(lang="pl_PL")
            ._fields["billing_status"]
            ._description_selection(account.with_context(lang="pl_PL").env)
        )
        self.assertEqual(labels["unsubscribed"], "Zrezygnowano")
