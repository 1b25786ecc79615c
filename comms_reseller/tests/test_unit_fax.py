from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.comms_fax.tests.common import make_pdf

from .common import FaxLineCase


@tagged("post_install", "-at_install")
class TestUnitFax(FaxLineCase):
    """Faxes sent by an account's group are paid in units: reserved when queued,
    charged when sent, released when failed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Lima Freight", status="production")
        cls.line = cls.create_fax_line(cls.account, "+12025550161", "Lima front desk")
        cls.group = cls.line.group_id
        cls.reseller_a.comms_units_per_fax_page = 2
        cls.wallet = cls.account._units_wallet()

    def _queue(self, pages):
        conversations = self.env["comms.conversation"]
        partner = conversations._find_or_create_partner_by_phone(
            self.group, "+12125550142", "fax"
        )
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "queued",
                "line_id": self.line.id,
                "conversation_id": conversations._get_for_customer(
                    self.group, partner
                ).id,
                "remote_number": "+1 212 555 0142",
            }
        )
        fax._attach_document(make_pdf(pages, "Order"))
        return fax

    def _kinds(self):
        return [(m.kind, m.amount) for m in self.wallet.move_ids.sorted("id")]

    def test_fax_reserved_when_queued_charged_when_sent(self):
        self.wallet._credit("correction", 10)
        fax = self._queue(3)
        self.assertEqual(self.wallet.balance, 4, "3 pages × 2 units reserved")
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(len(self._posted()), 1)
        fax._apply_status("sent")
        fax._apply_status("sent")  # the provider's webhook, replayed
        self.assertEqual(fax.state, "sent")
        self.assertEqual(self.wallet.balance, 4)
        self.assertEqual(
            self._kinds(),
            [
                ("correction", 10),
                ("reservation", -6),
                ("release", 6),
                ("consumption", -6),
            ],
        )
        self.assertEqual(self.wallet.move_ids[0].source_ref, fax)
        self.assertEqual(
            self.wallet.balance, sum(self.wallet.move_ids.mapped("amount"))
        )

    def test_fax_refused_before_sending_when_units_lack(self):
        self.wallet._credit("correction", 5)
        with self.assertRefused(
            UserError, r"refused before sending: .*has 5 units: 6 are needed"
        ):
            self._queue(3)
        self.assertFalse(self.env["comms.fax"].search([("line_id", "=", self.line.id)]))
        self.assertEqual(self.wallet.balance, 5)
        self.env["comms.fax"]._cron_send_queued()
        self.assertFalse(self._posted())

    def test_failed_fax_releases_its_units_and_a_retry_reserves_again(self):
        self.wallet._credit("correction", 3, promotional=True)
        self.wallet._credit("correction", 10)
        fax = self._queue(2)
        self.assertEqual((self.wallet.balance, self.wallet.promotional_balance), (9, 0))
        self.env["comms.fax"]._cron_send_queued()
        fax._apply_status("failed", "Busy")
        self.assertEqual(fax.state, "failed")
        self.assertEqual(
            (self.wallet.balance, self.wallet.promotional_balance), (13, 3)
        )
        fax.action_retry()
        self.assertEqual(self.wallet.balance, 9)
        self.env["comms.fax"]._cron_send_queued()
        fax._apply_status("sent")
        self.assertEqual((self.wallet.balance, self.wallet.promotional_balance), (9, 0))
        self.assertEqual(len(self._posted()), 2)
        consumed = self.wallet.move_ids.filtered(lambda m: m.kind == "consumption")
        self.assertEqual(consumed.mapped("amount"), [-4])

    def test_received_faxes_and_free_pages_cost_nothing(self):
        self.reseller_a.comms_units_per_fax_page = 0
        fax = self._queue(5)
        self.env["comms.fax"]._cron_send_queued()
        fax._apply_status("sent")
        self.assertFalse(self.wallet.move_ids)
        received = self.env["comms.fax"].create(
            {
                "direction": "in",
                "state": "received",
                "line_id": self.line.id,
                "remote_number": "+1 212 555 0199",
            }
        )
        self.reseller_a.comms_units_per_fax_page = 2
        received._attach_document(make_pdf(4, "Quote"))
        self.assertFalse(self.wallet.move_ids)
