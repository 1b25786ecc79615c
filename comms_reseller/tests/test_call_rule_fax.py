from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.comms_fax.tests.common import make_pdf

from .common import FaxLineCase


@tagged("post_install", "-at_install")
class TestCallRuleFax(FaxLineCase):
    """Call restrictions refuse an account's faxes before anything reaches the
    provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Kilo Imports", status="production")
        cls.account.partner_id.country_id = cls.env.ref("base.us")
        cls.line = cls.create_fax_line(cls.account, "+12025550151", "Kilo front desk")
        cls.block_cuba = cls.env["comms.call.rule"].create(
            {
                "name": "Cuba",
                "kind": "country",
                "action": "block",
                "country_id": cls.env.ref("base.cu").id,
                "company_id": cls.reseller_a.id,
            }
        )

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
