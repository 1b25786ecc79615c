from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestCallRuleStarter(ResellerCase):
    """The starter set of premium-rate and revenue-share-fraud destinations:
    shipped inactive, one copy per reseller, blocking once enabled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The main company's copy may have been enabled by the demo data: this
        # reseller's copy is as shipped.
        cls.reseller_g = cls.setup_other_company(name="Reseller G")["company"]
        cls.account_gb = cls.create_account(
            "Golf", company=cls.reseller_g, status="production"
        )
        cls.account_gb.partner_id.country_id = cls.env.ref("base.uk")
        cls.account_b = cls.create_account(
            "Bravo", company=cls.reseller_b, status="production"
        )
        cls.account_b.partner_id.country_id = cls.env.ref("base.uk")

    def _starter(self, company):
        return (
            self.env["comms.call.rule"]
            .with_context(active_test=False)
            .search([("starter", "=", True), ("company_id", "=", company.id)])
        )

    def _decide(self, account, number):
        decision = self.env["comms.call.rule"]._decide(account, number)
        return decision.allowed, decision.rule.name

    def test_shipped_inactive_for_every_reseller(self):
        shipped = self.env.ref("comms_reseller.call_rule_premium_gb_09")
        if not self.env.ref("base.module_comms_reseller").demo:
            self.assertFalse(shipped.active)
        self.assertEqual(shipped.company_id, self.env.ref("base.main_company"))
        for company in (self.reseller_g, self.reseller_b):
            rules = self._starter(company)
            self.assertIn("+449", rules.mapped("value"), company.name)
            self.assertIn(self.env.ref("base.cu"), rules.country_id, company.name)
            self.assertFalse(any(rules.mapped("active")), company.name)
            self.assertEqual(set(rules.mapped("action")), {"block"})
        # Inactive, they decide nothing: a premium-rate number can be called.
        self.assertEqual(self._decide(self.account_gb, "0909 879 0000"), (True, False))

    def test_enabled_they_block_premium_rate_and_fraud_destinations(self):
        self._starter(self.reseller_g).action_unarchive()
        for number, rule in (
            ("0909 879 0000", "Premium rate: United Kingdom 09"),
            ("0871 123 4567", "Premium rate: United Kingdom 0871"),
            ("+1 900 555 0123", "Premium rate: North America 900"),
            ("+49 900 1 234567", "Premium rate: Germany 0900"),
            ("+33 8 92 12 34 56", "Premium rate: France 089"),
            ("+53 7 861 2345", "IRSF: Cuba"),
            ("+371 90 001 234", "IRSF: Latvia premium rate (+371 90)"),
            ("+881 6 3123 4567", "IRSF: Global Mobile Satellite System (+881)"),
        ):
            self.assertEqual(self._decide(self.account_gb, number), (False, rule))
        # Ordinary numbers of the same countries are still allowed.
        self.assertEqual(self._decide(self.account_gb, "020 7946 0018"), (True, False))
        self.assertEqual(
            self._decide(self.account_gb, "+33 6 12 34 56 78"), (True, False)
        )
        # Reseller B has not enabled its copy.
        self.assertEqual(self._decide(self.account_b, "0909 879 0000"), (True, False))

    def test_a_new_reseller_gets_its_copy_once(self):
        company = self.env["res.company"].create({"name": "Reseller C"})
        rules = self._starter(company)
        self.assertEqual(len(rules), len(self._starter(self.reseller_g)))
        self.assertFalse(any(rules.mapped("active")))
        self.env["comms.call.rule"]._copy_starter_set()
        self.assertEqual(self._starter(company), rules)
