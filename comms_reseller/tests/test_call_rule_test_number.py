from odoo.tests import Form, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestCallRuleTestNumber(ResellerCase):
    """Test a Number, as a reseller user fills it in the form: the decision,
    the number read in international format and the rule that decided."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["comms.call.rule"]
        cls.account_gb = cls.create_account("Golf", status="production")
        cls.account_gb.partner_id.country_id = cls.env.ref("base.uk")
        cls.account_us = cls.create_account("Uniform", status="production")
        cls.account_us.partner_id.country_id = cls.env.ref("base.us")
        cls.london = Rule.create(
            {"name": "London", "kind": "area_code", "value": "+4420"}
        )
        cls.cuba = Rule.create(
            {
                "name": "Cuba",
                "kind": "country",
                "country_id": cls.env.ref("base.cu").id,
            }
        )
        cls.golf_london = Rule.create(
            {
                "name": "Golf calls London",
                "kind": "prefix",
                "value": "+44203",
                "action": "allow",
                "account_id": cls.account_gb.id,
            }
        )

    def _test(self, number, account=None, country=None, user=None):
        Test = self.env["comms.call.rule.test"].with_user(user or self.user_a)
        if account:
            Test = Test.with_context(
                default_account_id=account.id, default_company_id=account.company_id.id
            )
        with Form(Test) as form:
            if country is not None:
                form.country_id = (
                    self.env.ref(country) if country else self.env["res.country"]
                )
            form.number = number
            return (
                form.decision,
                form.e164,
                form.rule_id,
                form.explanation,
            )

    def test_local_number_blocked_by_system_area_code(self):
        decision, e164, rule, explanation = self._test(
            "020 7946 0018", account=self.account_gb
        )
        self.assertEqual(
            (decision, e164, rule), ("blocked", "+442079460018", self.london)
        )
        self.assertEqual(
            explanation,
            "+442079460018 is blocked by the system rule “London”, for every "
            "account (area code +4420).",
        )

    def test_account_exception_allows(self):
        decision, e164, rule, explanation = self._test(
            "020 3123 4567", account=self.account_gb
        )
        self.assertEqual(
            (decision, e164, rule), ("allowed", "+442031234567", self.golf_london)
        )
        self.assertIn("exception of the account", explanation)
        self.assertIn("number prefix +44203", explanation)
        # Another account gets the system rule for the same destination.
        decision, __, rule, __ = self._test("+44 20 3123 4567", account=self.account_us)
        self.assertEqual((decision, rule), ("blocked", self.london))

    def test_country_rule_and_no_rule(self):
        decision, e164, rule, explanation = self._test(
            "00 53 7 861 2345", country="base.fr"
        )
        self.assertEqual((decision, e164, rule), ("blocked", "+5378612345", self.cuba))
        self.assertIn("(country Cuba)", explanation)
        decision, e164, rule, explanation = self._test(
            "(212) 555-0142", account=self.account_us
        )
        self.assertEqual((decision, e164), ("allowed", "+12125550142"))
        self.assertFalse(rule)
        self.assertEqual(explanation, "Allowed: no rule matches +12125550142.")

    def test_the_country_reads_local_numbers(self):
        # The same digits are London for a British account, Paris-area for France.
        self.assertEqual(
            self._test("020 7946 0018", account=self.account_gb)[:2],
            ("blocked", "+442079460018"),
        )
        decision, e164, __, __ = self._test(
            "01 23 45 67 89", account=self.account_gb, country="base.fr"
        )
        self.assertEqual((decision, e164), ("allowed", "+33123456789"))
        # Without a country, a local number cannot be read.
        decision, __, __, explanation = self._test("020 7946 0018", country=False)
        self.assertEqual(decision, "invalid")
        self.assertIn("as a local number of no country", explanation)

    def test_not_a_number(self):
        decision, e164, rule, explanation = self._test(
            "call me", account=self.account_gb
        )
        self.assertEqual(decision, "invalid")
        self.assertFalse(e164 or rule)
        self.assertIn("“call me” is not a phone number", explanation)
        self.assertIn("United Kingdom", explanation)
