from odoo.tests import tagged

from odoo.addons.comms_reseller.tools.sms_segments import sms_segments
from odoo.addons.sms.tests.common import MockSMS

from .common import ResellerCase

# 3GPP TS 23.038: 160 GSM-7 characters fit one text, a concatenated text carries
# 153 per segment; UCS-2 70 in one, 67 per segment.
GSM_160 = "a" * 160
GSM_161 = "a" * 161
GSM_306 = "b" * 306
GSM_307 = "b" * 307
UCS_70 = "ł" * 70
UCS_71 = "ł" * 71


@tagged("post_install", "-at_install")
class TestUnitSms(MockSMS, ResellerCase):
    """Texts sent from an account's groups are paid in units before they leave;
    Odoo's own SMS gateway mock records what reached the provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.account = cls.create_account("Mike Couriers", status="production")
        cls.create_number("+12025550171", account=cls.account)
        cls.group = cls.env["comms.group"].create(
            {
                "name": "Mike dispatch",
                "company_id": cls.reseller_a.id,
                "comms_account_id": cls.account.id,
                "sms_number": "+12025550171",
            }
        )
        conversations = cls.env["comms.conversation"]
        cls.customer = conversations._find_or_create_partner_by_phone(
            cls.group, "+12125550177"
        )
        cls.conversation = conversations._get_for_customer(cls.group, cls.customer)
        cls.reseller_a.comms_units_per_sms_segment = 3
        cls.wallet = cls.account._units_wallet()

    def _text(self, body, **gateway):
        with self.mockSMSGateway(**gateway):
            self.conversation._message_sms(body, partner_ids=self.customer.ids)
        return self.env["sms.sms"].search(
            [("mail_message_id.res_id", "=", self.conversation.id)], limit=1
        )

    def test_segments_are_counted_as_the_standard_says(self):
        self.assertEqual(
            [sms_segments(b) for b in (GSM_160, GSM_161, GSM_306, GSM_307)],
            [1, 2, 2, 3],
        )
        self.assertEqual([sms_segments(b) for b in (UCS_70, UCS_71)], [1, 2])
        self.assertEqual(sms_segments(""), 0)

    def test_text_paid_per_segment_before_it_leaves(self):
        self.wallet._credit("correction", 10)
        self._text(GSM_161)
        self.assertEqual(len(self._sms), 1, "the text reached the provider")
        self.assertEqual(self.wallet.balance, 4, "2 segments × 3 units")
        self.assertRecordValues(
            self.wallet.move_ids[0], [{"kind": "consumption", "amount": -6}]
        )

    def test_text_refused_with_insufficient_credit_when_units_lack(self):
        self.wallet._credit("correction", 5)
        sms = self._text(GSM_161)
        self.assertEqual(self._sms, [], "nothing reached the provider")
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_credit")
        self.assertEqual(self.wallet.balance, 5)
        # Bought units: the resend goes and is paid once.
        self.wallet._credit("correction", 10)
        with self.mockSMSGateway():
            sms.resend_failed()
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self.wallet.balance, 9)

    def test_text_refused_by_the_provider_is_given_back(self):
        self.wallet._credit("correction", 10)
        sms = self._text("Hello", sim_error="wrong_number_format")
        self.assertEqual(sms.state, "error")
        self.assertEqual(self.wallet.balance, 10)
        self.assertEqual(
            [(m.kind, m.amount) for m in self.wallet.move_ids.sorted("id")],
            [("correction", 10), ("consumption", -3), ("release", 3)],
        )
        with self.mockSMSGateway():
            sms.resend_failed()
        self.assertEqual(self.wallet.balance, 7, "the resend is paid once")

    def test_texts_of_other_records_cost_nothing(self):
        self.wallet._credit("correction", 1)
        with self.mockSMSGateway():
            self.customer._message_sms(
                "Not from a group", partner_ids=self.customer.ids
            )
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self.wallet.balance, 1)
