from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ResellerCase


class CallRuleRolesCase(ResellerCase):
    """Reseller A's system rule and account exception, reseller B's exception,
    the portal administrator of A's account, another portal user and public."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["comms.call.rule"]
        cls.account_a = cls.create_account("Alpha", status="production")
        cls.account_b = cls.create_account(
            "Bravo", company=cls.reseller_b, status="production"
        )
        cls.system_rule_a = Rule.create(
            {"name": "Cuba", "kind": "country", "country_id": cls.env.ref("base.cu").id}
        )
        cls.account_rule_a = Rule.create(
            {
                "name": "Alpha calls London",
                "kind": "area_code",
                "value": "+4420",
                "action": "allow",
                "account_id": cls.account_a.id,
            }
        )
        cls.account_rule_b = Rule.create(
            {
                "name": "Bravo calls Havana",
                "kind": "prefix",
                "value": "+537",
                "action": "allow",
                "account_id": cls.account_b.id,
                "company_id": cls.reseller_b.id,
            }
        )
        # sudo: the test reads their login and sets their password
        cls.portal_admin = cls.account_a.admin_user_id.sudo()
        cls.portal_other = new_test_user(
            cls.env, login="other_portal", groups="base.group_portal"
        )
        cls.public = cls.env.ref("base.public_user").sudo()

    def account_rule_values(self, account, **values):
        return {
            "name": "Paris",
            "kind": "area_code",
            "value": "+331",
            "account_id": account.id,
            "company_id": account.company_id.id,
            **values,
        }


@tagged("post_install", "-at_install")
class TestCallRuleAccess(CallRuleRolesCase):
    def test_reseller_user_edits_account_rules_only(self):
        Rule = self.env["comms.call.rule"].with_user(self.user_a)
        self.assertEqual(Rule.search([]), self.system_rule_a | self.account_rule_a)
        exception = Rule.create(self.account_rule_values(self.account_a))
        exception.action = "allow"
        self.assertEqual(exception.action, "allow")
        self.account_rule_a.with_user(self.user_a).value = "+44207"
        with self.assertRaises(AccessError):
            Rule.create(self.account_rule_values(self.account_a, account_id=False))
        with self.assertRaises(AccessError):
            self.system_rule_a.with_user(self.user_a).action = "allow"
        with self.assertRaises(AccessError):
            self.system_rule_a.with_user(self.user_a).unlink()
        # An exception cannot be turned into a rule for every account.
        with self.assertRaises(AccessError):
            exception.account_id = False
        exception.unlink()
        self.assertTrue(self.system_rule_a.exists())

    def test_account_form_lists_its_rules_and_adds_exceptions(self):
        account = self.account_a.with_user(self.user_a)
        action = account.action_view_call_rules()
        Rule = self.env["comms.call.rule"].with_user(self.user_a)
        self.assertEqual(
            Rule.search(action["domain"]), self.system_rule_a | self.account_rule_a
        )
        exception = Rule.with_context(**action["context"]).create(
            {"name": "Alpha calls Havana", "kind": "prefix", "value": "+537"}
        )
        self.assertEqual(exception.account_id, self.account_a)
        self.assertEqual(exception.scope, "account")

    def test_reseller_manager_edits_system_rules_of_their_companies(self):
        Rule = self.env["comms.call.rule"].with_user(self.manager_a)
        rule = Rule.create({"name": "Somalia", "kind": "prefix", "value": "+252"})
        self.assertEqual((rule.company_id, rule.scope), (self.reseller_a, "system"))
        self.system_rule_a.with_user(self.manager_a).action = "allow"
        self.assertEqual(self.system_rule_a.action, "allow")
        with self.assertRaises(AccessError):
            self.account_rule_b.with_user(self.manager_a).read(["name"])
        with self.assertRaises(AccessError):
            Rule.create(
                {
                    "name": "B's rule",
                    "kind": "prefix",
                    "value": "+252",
                    "company_id": self.reseller_b.id,
                }
            )

    def test_reseller_b_neither_reads_nor_writes_a_rules(self):
        Rule = self.env["comms.call.rule"].with_user(self.user_b)
        self.assertEqual(Rule.search([]), self.account_rule_b)
        for rule in (self.system_rule_a, self.account_rule_a):
            with self.assertRaises(AccessError):
                rule.with_user(self.user_b).read(["name"])
            with self.assertRaises(AccessError):
                rule.with_user(self.user_b).write({"action": "allow"})
            with self.assertRaises(AccessError):
                rule.with_user(self.user_b).unlink()
        # An exception for A's account, made in B's company or in A's.
        with self.assertRaises(UserError):
            Rule.create(
                self.account_rule_values(self.account_a, company_id=self.reseller_b.id)
            )
        with self.assertRaises(AccessError):
            Rule.create(self.account_rule_values(self.account_a))
        self.assertEqual(self.account_rule_a.action, "allow")

    def test_portal_and_public_have_no_access(self):
        for user in (self.portal_admin, self.portal_other, self.public):
            Rule = self.env["comms.call.rule"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Rule.search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.account_rule_a.with_user(user).read(["name"])
            with self.assertRaises(AccessError, msg=user.login):
                Rule.create(self.account_rule_values(self.account_a))
            with self.assertRaises(AccessError, msg=user.login):
                self.env["comms.call.rule.test"].with_user(user).create(
                    {"number": "+5378612345"}
                )

    def test_database_administrator_reads_every_reseller(self):
        rules = self.env["comms.call.rule"].with_user(self.sysadmin).search([])
        # Demo data may add rules of their own.
        self.assertLessEqual(
            self.system_rule_a | self.account_rule_a | self.account_rule_b, rules
        )

    def test_number_test_of_reseller_b_cannot_reach_a_account(self):
        Test = self.env["comms.call.rule.test"].with_user(self.user_b)
        with self.assertRaises(UserError):
            Test.create({"number": "+5378612345", "account_id": self.account_a.id})


@tagged("post_install", "-at_install")
class TestCallRuleRpc(CallRuleRolesCase, HttpCase):
    """The same rights over XML-RPC, as external clients see them."""

    def rpc(self, user, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            user.login,
            "comms.call.rule",
            method,
            list(args),
            kwargs,
        )

    def test_reseller_user_over_rpc(self):
        rule_id = self.rpc(
            self.user_a, "create", self.account_rule_values(self.account_a)
        )
        self.assertEqual(self.env["comms.call.rule"].browse(rule_id).name, "Paris")
        with self.assertRaisesRegex(Fault, "doesn't have 'create' access"):
            self.rpc(
                self.user_a,
                "create",
                self.account_rule_values(self.account_a, account_id=False),
            )
        with self.assertRaisesRegex(Fault, "doesn't have 'write' access"):
            self.rpc(self.user_a, "write", self.system_rule_a.ids, {"action": "allow"})
        self.assertEqual(self.system_rule_a.action, "block")

    def test_reseller_b_over_rpc(self):
        found = self.rpc(self.user_b, "search_read", [], fields=["name"])
        self.assertEqual([row["id"] for row in found], self.account_rule_b.ids)
        with self.assertRaisesRegex(Fault, "doesn't have 'read' access"):
            self.rpc(self.user_b, "read", self.account_rule_a.ids, ["name"])
        with self.assertRaisesRegex(Fault, "doesn't have '(read|write)' access"):
            self.rpc(self.user_b, "write", self.account_rule_a.ids, {"action": "block"})
        self.assertEqual(self.account_rule_a.action, "allow")

    def test_portal_users_and_public_over_rpc(self):
        for user in (self.portal_admin, self.portal_other):
            user.password = user.login
            with self.assertRaisesRegex(Fault, "You are not allowed to access"):
                self.rpc(user, "search_read", [], fields=["name"])
            with self.assertRaisesRegex(Fault, "You are not allowed to"):
                self.rpc(user, "write", self.account_rule_a.ids, {"action": "block"})
        with self.assertRaisesRegex(Fault, "Access Denied"):
            self.rpc(self.public, "search_read", [], fields=["name"])
        self.assertEqual(self.account_rule_a.action, "allow")
