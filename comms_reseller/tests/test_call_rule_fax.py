from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.comms_fax.tests.common import (
    TELNYX_KEY,
    FakeProviderServer,
    make_pdf,
)

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestCallRuleFax(ResellerCase):
    """Call restrictions refuse an account's faxes before anything reaches the
    provider (a fake Telnyx over real HTTP)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.server = FakeProviderServer().start()
        cls.addClassCleanup(cls.server.stop)
        provider = cls.env["comms.fax.provider"].create(
            {
                "name": "Telnyx test",
                "provider_type": "telnyx",
                "base_url": cls.server.url,
                "api_key": TELNYX_KEY,
                "connection_id": "1684641123236054244",
                "company_id": cls.reseller_a.id,
                "timeout": 10,
            }
        )
        cls.account = cls.create_account("Kilo Imports", status="production")
        cls.account.partner_id.country_id = cls.env.ref("base.us")
        cls.create_number("+12025550151", account=cls.account, option_fax=True)
        group = cls.env["comms.group"].create(
            {
                "name": "Kilo front desk",
                "company_id": cls.reseller_a.id,
                "comms_account_id": cls.account.id,
            }
        )
        cls.line = cls.env["comms.fax.line"].create(
            {"number": "+12025550151", "group_id": group.id, "provider_id": provider.id}
        )
        cls.block_cuba = cls.env["comms.call.rule"].create(
            {
                "name": "Cuba",
                "kind": "country",
                "action": "block",
                "country_id": cls.env.ref("base.cu").id,
                "company_id": cls.reseller_a.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def _queue(self, number):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "queued",
                "line_id": self.line.id,
                "remote_number": number,
            }
        )
        fax._attach_document(make_pdf(1, "Order"))
        return fax

    def _posted(self):
        return [r for r in self.server.requests if r["method"] == "POST"]

    def test_blocked_destination_refused_when_queued(self):
        with self.assertRefused(UserError, "may not call this destination"):
            self._queue("+53 7 8612345")
        self.assertFalse(self.env["comms.fax"].search([("line_id", "=", self.line.id)]))
        # An allowed destination goes through to the provider.
        fax = self._queue("+1 212 555 0142")
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(len(self._posted()), 1)

    def test_fax_queued_before_the_rule_fails_unsent_with_the_reason(self):
        fax = self._queue("+44 20 7946 0018")
        self.env["comms.call.rule"].create(
            {
                "name": "London",
                "kind": "area_code",
                "value": "+4420",
                "action": "block",
                "company_id": self.reseller_a.id,
            }
        )
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "failed")
        self.assertIn("call restriction “London”", fax.error_message)
        self.assertFalse(self._posted())
        with self.assertRefused(UserError, "may not call this destination"):
            fax.action_retry()
        self.assertEqual(fax.state, "failed")

    def test_account_exception_lets_the_fax_go(self):
        self.env["comms.call.rule"].create(
            {
                "name": "Kilo may fax Havana",
                "kind": "prefix",
                "value": "+537",
                "action": "allow",
                "account_id": self.account.id,
                "company_id": self.reseller_a.id,
            }
        )
        fax = self._queue("+53 7 8612345")
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(len(self._posted()), 1)

    def test_faxes_queued_together_are_each_decided(self):
        values = {"direction": "out", "state": "queued", "line_id": self.line.id}
        numbers = ("+1 212 555 0142", "+53 7 8612345", "+1 646 555 0199")
        with self.assertRefused(UserError, "fax to .53 7 8612345") as refusal:
            self.env["comms.fax"].create(
                [{**values, "remote_number": number} for number in numbers]
            )
        self.assertNotIn("+1 212", str(refusal.exception))
        self.assertNotIn("+1 646", str(refusal.exception))
        self.assertFalse(self.env["comms.fax"].search([("line_id", "=", self.line.id)]))
        faxes = self.env["comms.fax"].create(
            [{**values, "remote_number": number} for number in numbers[::2]]
        )
        self.assertEqual(faxes.mapped("state"), ["queued", "queued"])
