from odoo.tests import tagged

from odoo.addons.sms.tests.common import MockSMS

from .test_unit_group import UnitGroupCase

ONE_SEGMENT = "Your parcel is ready at the front desk."


class MemberTextsCase:
    """An account's desk: each text it sends is charged to the account's units
    (10 a segment)."""

    @classmethod
    def setup_member_desk(cls):
        cls.setup_text_desk(cls.member, "+12025550181", "+12125550188")

    @classmethod
    def setup_text_desk(cls, account, number, customer_number):
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.create_number(number, account=account)
        group = cls.env["comms.group"].create(
            {
                "name": f"{account.name} desk",
                "company_id": cls.reseller_a.id,
                "comms_account_id": account.id,
                "sms_number": number,
            }
        )
        conversations = cls.env["comms.conversation"]
        cls.customer = conversations._find_or_create_partner_by_phone(
            group, customer_number
        )
        cls.conversation = conversations._get_for_customer(group, cls.customer)
        cls.reseller_a.comms_units_per_sms_segment = 10

    def text(self):
        with self.mockSMSGateway():
            self.conversation._message_sms(ONE_SEGMENT, partner_ids=self.customer.ids)
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestUnitAutoTopUp(MemberTextsCase, MockSMS, UnitGroupCase):
    """The owner keeps a member at N units with a monthly cap: each text the
    member sends is charged, then the owner's units top the member up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_member_desk()
        # "Keep Jean at 20, at most 100 a month."
        cls.membership.write({"keep_at_units": 20, "monthly_top_up_cap": 100})

    def auto_top_ups(self):
        return self.wallet.move_ids.filtered(
            lambda move: move.kind == "transfer_out"
            and move.idempotency_key.startswith("auto-top-up-")
        )

    def test_member_kept_at_its_units_after_each_text(self):
        self.give(self.wallet, 200)
        self.give(self.member_wallet, 25)
        self.text()
        self.assertEqual(len(self._sms), 1, "the text left")
        self.assertEqual(self.member_wallet.balance, 20, "25 - 10 + 5")
        self.assertEqual(self.wallet.balance, 195)
        self.text()
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.wallet.balance, 185)
        self.assertEqual(self.auto_top_ups().mapped("amount"), [-10, -5])
        self.assertLedgerConsistent(self.wallet, self.member_wallet)

    def test_no_top_up_while_above_the_amount(self):
        self.give(self.wallet, 200)
        self.give(self.member_wallet, 45)
        self.text()
        self.assertEqual(self.member_wallet.balance, 35)
        self.assertEqual(self.wallet.balance, 200)

    def test_monthly_cap_limits_the_top_ups(self):
        self.membership.monthly_top_up_cap = 12
        self.give(self.wallet, 200)
        self.give(self.member_wallet, 20)
        self.text()
        self.assertEqual(self.member_wallet.balance, 20, "10 given, 2 left")
        self.text()
        self.assertEqual(self.member_wallet.balance, 12, "the 2 left given")
        self.text()
        self.assertEqual(self.member_wallet.balance, 2, "the cap is spent")
        self.assertEqual(self.wallet.balance, 188)

    def test_a_replayed_charge_never_tops_up_twice(self):
        self.give(self.wallet, 200)
        self.give(self.member_wallet, 20)
        self.text()
        charge = self.member_wallet.move_ids.filtered(
            lambda move: move.kind == "consumption"
        )
        self.assertEqual(self.wallet.balance, 190)
        # The same charge retried: its key finds the first one.
        again = self.member_wallet._debit(
            "consumption", 10, source=charge.source_ref, key=charge.idempotency_key
        )
        self.assertEqual(again, charge)
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.wallet.balance, 190)
        # The top-up of that charge retried, the member below again: its key
        # finds the first top-up.
        self.member_wallet._debit("correction", 10, note="Fee")
        self.membership._auto_top_up(self.member_wallet, charge)
        self.assertEqual(self.wallet.balance, 190)
        self.assertEqual(self.member_wallet.balance, 10)
        self.assertEqual(len(self.auto_top_ups()), 1)

    def test_owner_short_of_units_is_told_once(self):
        self.give(self.wallet, 3)
        self.give(self.member_wallet, 30)
        subject = "was not topped up"
        self.text()
        self.text()
        self.assertEqual(self.member_wallet.balance, 10, "no top-up")
        self.assertEqual(self.wallet.balance, 3)
        self.assertEqual(len(self.emails_to(self.owner, subject)), 1)
        self.give(self.wallet, 100)
        self.text()
        self.assertEqual(self.member_wallet.balance, 20, "topped up again")
        self.assertEqual(self.wallet.balance, 83)
        self.assertFalse(self.membership.top_up_short_notified)
