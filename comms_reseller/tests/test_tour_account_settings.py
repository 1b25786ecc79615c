from odoo import SUPERUSER_ID
from odoo.tests import HttpCase, tagged

from odoo.addons.comms_fax.tests.common import make_pdf

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAccountSettingsTour(ResellerCase, HttpCase):
    """In a browser: the reseller affiliates an account whose extensions clash
    and accepts the proposals; then a fax to a blocked country is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.organization = cls.create_account("Lima Clinics", users=3)
        cls.branch = cls.create_account("Lima North", users=2, status="production")
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.user_a.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_user")
        provider = cls.env["comms.fax.provider"].create(
            {
                "name": "Telnyx",
                "provider_type": "telnyx",
                "base_url": "http://127.0.0.1:9",
                "api_key": "KEY-not-used",
                "connection_id": "1684641123236054244",
                "company_id": cls.reseller_a.id,
            }
        )
        cls.create_number("+12025550151", account=cls.branch, option_fax=True)
        group = cls.env["comms.group"].create(
            {
                "name": "Lima North front desk",
                "company_id": cls.reseller_a.id,
                "comms_account_id": cls.branch.id,
                "user_ids": cls.user_a.ids,
            }
        )
        cls.line = cls.env["comms.fax.line"].create(
            {"number": "+12025550151", "group_id": group.id, "provider_id": provider.id}
        )
        cls.env["comms.call.rule"].create(
            {
                "name": "Block Cuba",
                "kind": "country",
                "action": "block",
                "country_id": cls.env.ref("base.cu").id,
                "company_id": cls.reseller_a.id,
            }
        )

    def test_affiliate_with_a_clash_then_a_fax_to_a_blocked_country(self):
        self.assertEqual(
            self.branch.user_ids.sorted("id").mapped("extension"), ["100", "101"]
        )
        self.start_tour(
            f"/odoo/action-comms_reseller.comms_account_action_companies/{self.branch.id}",
            "comms_reseller_affiliate_with_clash",
            login=self.user_a.login,
        )
        self.assertEqual(self.branch.organization_id, self.organization)
        self.assertEqual(self.branch.orgid, self.organization.cid)
        self.assertEqual(
            self.branch.user_ids.sorted("id").mapped("extension"), ["103", "104"]
        )
        self.assertEqual(
            self.organization.user_ids.sorted("id").mapped("extension"),
            ["100", "101", "102"],
        )

        # Received as the provider's webhook does, by the system.
        fax_in = self.line.with_user(SUPERUSER_ID)._receive_fax(
            "+5378612345", make_pdf(1), "tour-cuba-1"
        )
        self.start_tour(
            f"/odoo/comms.conversation/{fax_in.conversation_id.id}",
            "comms_reseller_fax_to_blocked_country",
            login=self.user_a.login,
        )
        outgoing = self.env["comms.fax"].search(
            [("line_id", "=", self.line.id), ("direction", "=", "out")]
        )
        self.assertFalse(outgoing, "nothing queued for the provider")
