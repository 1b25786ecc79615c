from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestAccess(CommsCase):
    def setUp(self):
        super().setUp()
        self.group._receive_sms("+33612345678", "Lyon customer", "SMacc1")
        self.other_group._receive_sms("+33612345679", "Paris customer", "SMacc2")
        self.lyon = self.conversation_of(phone="+33612345678")
        self.paris = self.conversation_of(phone="+33612345679", group=self.other_group)

    def visible(self, user, model):
        return self.env[model].with_user(user).search([])

    def test_member_sees_only_their_groups(self):
        self.assertEqual(self.visible(self.member, "comms.group"), self.group)
        self.assertEqual(self.visible(self.member, "comms.conversation"), self.lyon)
        self.assertEqual(
            self.visible(self.member, "comms.message").conversation_id, self.lyon
        )
        with self.assertRaises(AccessError):
            self.paris.with_user(self.member).read(["state"])

    def test_non_member_cannot_act_on_a_group(self):
        self.assertEqual(self.visible(self.outsider, "comms.conversation"), self.paris)
        with self.assertRaises(AccessError):
            self.lyon.with_user(self.outsider).action_claim()
        self.assertEqual(self.lyon.state, "new")

    def test_employee_outside_shared_inbox_sees_nothing(self):
        for model in ("comms.group", "comms.conversation", "comms.message"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.employee).search([])

    def test_portal_sees_nothing(self):
        for model in ("comms.group", "comms.conversation", "comms.message"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])

    def test_manager_reports_cover_their_groups(self):
        groups = (
            self.env["comms.message"]
            .with_user(self.manager)
            ._read_group([], ["group_id", "channel"], ["__count"])
        )
        self.assertEqual(groups, [(self.group, "sms", 1)])
        self.group.with_user(self.manager).return_to_inbox_minutes = 10
        with self.assertRaises(AccessError):
            self.other_group.with_user(self.manager).name = "Renamed"

    def test_members_cannot_configure_groups(self):
        with self.assertRaises(AccessError):
            self.group.with_user(self.member).sms_number = "+33472000000"

    def test_twilio_token_is_admin_only(self):
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.manager).read(["sms_twilio_auth_token"])

    def test_other_company_group_is_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.member.write({"company_ids": [(4, other.id)]})
        foreign = self.env["comms.group"].create(
            {
                "name": "Foreign",
                "company_id": other.id,
                "user_ids": [(6, 0, self.member.ids)],
            }
        )
        visible = (
            self.env["comms.group"]
            .with_user(self.member)
            .with_context(allowed_company_ids=self.env.company.ids)
            .search([])
        )
        self.assertNotIn(foreign, visible)
