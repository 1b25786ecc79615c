from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestCallRule(ResellerCase):
    """Call restrictions on real numbering plans, numbers typed as the account's
    users write them in their own country."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_gb = cls._account_in("Golf", "base.uk")
        cls.account_us = cls._account_in("Uniform", "base.us")
        cls.account_fr = cls._account_in("Foxtrot", "base.fr")
        cls.account_pl = cls._account_in("Papa", "base.pl")
        cls.account_ro = cls._account_in("Romeo", "base.ro")
        cls.account_b = cls._account_in("Bravo", "base.uk", company=cls.reseller_b)

    @classmethod
    def _account_in(cls, name, country_xmlid, company=None):
        account = cls.create_account(name, company=company, status="production")
        account.partner_id.country_id = cls.env.ref(country_xmlid)
        return account

    def _rule(self, name, kind, destination, action="block", account=None, **vals):
        values = {
            "name": name,
            "kind": kind,
            "action": action,
            "account_id": account.id if account else False,
            "company_id": (account.company_id if account else self.reseller_a).id,
            **vals,
        }
        if kind == "country":
            values["country_id"] = self.env.ref(destination).id
        else:
            values["value"] = destination
        return self.env["comms.call.rule"].create(values)

    def assertDecision(self, account, number, allowed, rule, e164):
        decision = self.env["comms.call.rule"]._decide(account, number)
        self.assertEqual(
            (decision.allowed, decision.rule, decision.e164),
            (allowed, rule, e164),
            f"{number} from {account.name}",
        )

    def test_gb_local_numbers_area_code_and_longer_prefix(self):
        london = self._rule("London", "area_code", "+4420")
        drama = self._rule("Drama range", "prefix", "+442079460", action="allow")
        manchester = "0161 496 0000"
        self.assertDecision(
            self.account_gb, "020 7946 0018", True, drama, "+442079460018"
        )
        self.assertDecision(
            self.account_gb, "020 3123 4567", False, london, "+442031234567"
        )
        self.assertDecision(
            self.account_gb,
            manchester,
            True,
            self.env["comms.call.rule"],
            "+441614960000",
        )
        # The same digits typed in international format decide the same way.
        self.assertDecision(
            self.account_us, "+44 20 3123 4567", False, london, "+442031234567"
        )

    def test_us_area_code_is_the_three_digit_npa(self):
        manhattan = self._rule("Manhattan", "area_code", "+1212")
        self.assertDecision(
            self.account_us, "(212) 555-0142", False, manhattan, "+12125550142"
        )
        # 213 (Los Angeles) starts with the same digit and is not matched.
        self.assertDecision(
            self.account_us,
            "(213) 555-0142",
            True,
            self.env["comms.call.rule"],
            "+12135550142",
        )

    def test_fr_prefix_wins_over_country(self):
        france = self._rule("France", "country", "base.fr")
        mobiles = self._rule("French mobiles", "prefix", "+336", action="allow")
        self.assertDecision(
            self.account_fr, "06 12 34 56 78", True, mobiles, "+33612345678"
        )
        self.assertDecision(
            self.account_fr, "01 23 45 67 89", False, france, "+33123456789"
        )

    def test_pl_area_code_wins_over_country_and_longest_prefix_wins(self):
        poland = self._rule("Poland", "country", "base.pl", action="allow")
        warsaw = self._rule("Warsaw", "area_code", "+4822")
        self.assertDecision(
            self.account_pl, "22 123 45 67", False, warsaw, "+48221234567"
        )
        self.assertDecision(
            self.account_pl, "12 345 67 89", True, poland, "+48123456789"
        )
        all_pl = self._rule("All of +48", "prefix", "+48")
        krakow = self._rule("Kraków", "prefix", "+4812", action="allow")
        self.assertDecision(
            self.account_pl, "12 345 67 89", True, krakow, "+48123456789"
        )
        self.assertDecision(
            self.account_pl, "22 123 45 67", False, all_pl, "+48221234567"
        )

    def test_ro_bucharest_and_cluj(self):
        bucharest = self._rule("Bucharest", "area_code", "+4021")
        cluj = self._rule("Cluj", "area_code", "+40264", action="allow")
        self.assertDecision(
            self.account_ro, "021 123 4567", False, bucharest, "+40211234567"
        )
        self.assertDecision(self.account_ro, "0264 123 456", True, cluj, "+40264123456")

    def test_account_exception_overrides_system_block(self):
        self._rule("Cuba", "country", "base.cu")
        london_block = self._rule("London", "prefix", "+4420")
        # A country-wide exception beats a more precise system prefix: the
        # account's own rules come first.
        exception = self._rule(
            "Golf calls the UK",
            "country",
            "base.uk",
            action="allow",
            account=self.account_gb,
        )
        cuba = "+53 7 861 2345"
        self.assertDecision(
            self.account_gb, "020 3123 4567", True, exception, "+442031234567"
        )
        self.assertDecision(
            self.account_us, "+44 20 3123 4567", False, london_block, "+442031234567"
        )
        cuba_exception = self._rule(
            "Uniform calls Havana",
            "prefix",
            "+537",
            action="allow",
            account=self.account_us,
        )
        self.assertDecision(self.account_us, cuba, True, cuba_exception, "+5378612345")
        self.assertFalse(
            self.env["comms.call.rule"]._decide(self.account_gb, cuba).allowed
        )

    def test_same_destination_twice_the_first_in_sequence_wins(self):
        self._rule("Block London", "area_code", "+4420", sequence=20)
        allow = self._rule("Allow London", "area_code", "+4420", "allow", sequence=5)
        self.assertDecision(
            self.account_gb, "020 3123 4567", True, allow, "+442031234567"
        )

    def test_archived_rule_no_longer_applies(self):
        london = self._rule("London", "area_code", "+4420")
        self.assertFalse(
            self.env["comms.call.rule"]
            ._decide(self.account_gb, "020 3123 4567")
            .allowed
        )
        london.active = False
        self.assertTrue(
            self.env["comms.call.rule"]
            ._decide(self.account_gb, "020 3123 4567")
            .allowed
        )

    def test_reseller_b_rules_do_not_apply_to_reseller_a(self):
        self.env["comms.call.rule"].create(
            {
                "name": "B blocks the UK",
                "company_id": self.reseller_b.id,
                "kind": "country",
                "country_id": self.env.ref("base.uk").id,
            }
        )
        Rule = self.env["comms.call.rule"]
        self.assertFalse(Rule._decide(self.account_b, "020 3123 4567").allowed)
        self.assertTrue(Rule._decide(self.account_gb, "020 3123 4567").allowed)

    def test_account_rule_of_another_reseller_is_refused(self):
        with self.assertRaises(UserError):
            self.env["comms.call.rule"].create(
                {
                    "name": "Cross-company",
                    "company_id": self.reseller_a.id,
                    "account_id": self.account_b.id,
                    "kind": "prefix",
                    "value": "+44",
                }
            )

    def test_bad_rules_and_numbers_are_refused_clearly(self):
        with self.assertRefused(ValidationError, "must be digits"):
            self._rule("Spaces", "prefix", "+44 20")
        with self.assertRefused(ValidationError, "must be digits"):
            self._rule("Letters", "area_code", "+44AB")
        with self.assertRefused(ValidationError, "country calling code"):
            self._rule("No such code", "prefix", "+999")
        with self.assertRefused(ValidationError, "needs a country"):
            self.env["comms.call.rule"].create({"name": "Nowhere", "kind": "country"})
        with self.assertRefused(UserError, "not a phone number"):
            self.env["comms.call.rule"]._decide(self.account_gb, "call me")
        # Too long for any British number (a London number typed twice).
        with self.assertRefused(UserError, "not a phone number"):
            self.env["comms.call.rule"]._decide(
                self.account_gb, "020 7946 0018 020 7946 0018"
            )

    def _queries_of_a_decision(self, account, number):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        decision = self.env["comms.call.rule"]._decide(account, number)
        return decision, self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_rules(self):
        self._rule("France", "country", "base.fr")
        self._queries_of_a_decision(self.account_gb, "020 3123 4567")  # warm caches
        __, few_rules = self._queries_of_a_decision(self.account_gb, "020 3123 4567")
        for index in range(40):
            self._rule(f"Prefix {index}", "prefix", f"+4420{index:02d}")
            self._rule(
                f"Exception {index}",
                "prefix",
                f"+3361{index:02d}",
                account=self.account_gb,
            )
        decision, many_rules = self._queries_of_a_decision(
            self.account_gb, "020 3123 4567"
        )
        self.assertEqual(decision.rule.name, "Prefix 31")
        self.assertLessEqual(few_rules, 10)
        self.assertEqual(many_rules, few_rules)

    def test_access_rights(self):
        system_rule = self._rule("Cuba", "country", "base.cu")
        Rule = self.env["comms.call.rule"]
        self.assertEqual(Rule.with_user(self.user_a).search([]), system_rule)
        with self.assertRaises(AccessError):
            Rule.with_user(self.user_a).create(
                {"name": "Mine", "kind": "prefix", "value": "+44"}
            )
        with self.assertRaises(AccessError):
            system_rule.with_user(self.user_a).action = "allow"
        manager_rule = Rule.with_user(self.manager_a).create(
            {"name": "Somalia", "kind": "prefix", "value": "+252"}
        )
        self.assertEqual(manager_rule.company_id, self.reseller_a)
        self.assertFalse(Rule.with_user(self.user_b).search([]))
        with self.assertRaises(AccessError):
            system_rule.with_user(self.user_b).read(["name"])
        portal = new_test_user(
            self.env, login="portal_caller", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            Rule.with_user(portal).search([])
        # A portal user's account is still decided by its reseller's rules.
        decision = Rule.with_user(portal)._decide(self.account_gb, "+53 7 861 2345")
        self.assertFalse(decision.allowed)
