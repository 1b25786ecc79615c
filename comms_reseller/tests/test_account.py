from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ResellerCase

STATUSES = ("trial", "production", "suspended", "unsubscribed")
ALLOWED = {
    ("trial", "production"),
    ("production", "suspended"),
    ("suspended", "production"),
    ("suspended", "trial"),
    ("trial", "unsubscribed"),
    ("production", "unsubscribed"),
    ("suspended", "unsubscribed"),
    # Restore: the account under test was unsubscribed from its free trial.
    ("unsubscribed", "trial"),
}


@tagged("post_install", "-at_install")
class TestAccount(ResellerCase):
    def test_identifiers_from_sequences_unique_and_frozen(self):
        first = self.create_account("Alpha")
        second = self.create_account("Beta")
        for account in first | second:
            self.assertTrue(account.cid.isdigit(), account.cid)
            self.assertTrue(account.can.isdigit(), account.can)
            self.assertEqual(account.orgid, account.cid)
        self.assertNotEqual(first.cid, second.cid)
        self.assertNotEqual(first.can, second.can)
        with self.assertRefused(UserError, "CID and the CAN .* cannot be changed"):
            first.cid = "123"
        with self.assertRefused(UserError, "cannot be changed"):
            first.with_user(self.user_a).write({"can": second.can})
        # A CID given at creation is ignored: the system gives it.
        partner = self.env["res.partner"].create({"name": "Gamma"})
        third = self.env["comms.account"].create(
            {
                "partner_id": partner.id,
                "cid": first.cid,
                "user_ids": [Command.create({"name": "G", "email": "g@gamma.com"})],
            }
        )
        self.assertNotIn(third.cid, (first.cid, second.cid))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "UPDATE comms_account SET cid = %s WHERE id = %s",
                (first.cid, third.id),
            )

    @freeze_time("2026-03-10")
    def test_trial_period(self):
        account = self.create_account("Trial Co")
        self.assertEqual(account.billing_status, "trial")
        self.assertEqual(account.trial_days, 30)
        self.assertEqual(account.trial_end_date, date(2026, 4, 9))
        account.trial_days = 90
        self.assertEqual(account.trial_end_date, date(2026, 6, 8))
        for days in (14, 91):
            with self.subTest(days=days), self.assertRaises(IntegrityError):
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    account.trial_days = days
                    account.flush_recordset()

    def test_users_first_is_admin_with_portal_access(self):
        account = self.create_account("Delta", users=3)
        first, second, third = account.user_ids
        self.assertEqual(account.user_count, 3)
        self.assertTrue(first.is_admin)
        self.assertFalse(second.is_admin or third.is_admin)
        self.assertEqual(account.admin_user_id, first.user_id)
        self.assertTrue(first.user_id._is_portal())
        self.assertEqual(first.user_id.login, "delta.0@client.example.com")
        self.assertEqual(first.user_id.partner_id.parent_id, account.partner_id)
        self.assertEqual(first.user_id.company_id, self.reseller_a)
        # Name, email and language follow to the portal user.
        self.env["res.lang"]._activate_lang("fr_FR")
        first.write({"name": "Dora", "email": "dora@delta.com", "lang": "fr_FR"})
        self.assertEqual(first.user_id.name, "Dora")
        self.assertEqual(first.user_id.login, "dora@delta.com")
        self.assertEqual(first.user_id.lang, "fr_FR")
        # Reordering makes another user the administrator.
        second.sequence = 1
        self.assertTrue(second.is_admin)
        self.assertEqual(account.admin_user_id, second.user_id)
        # The last user stays.
        (second | third).unlink()
        with self.assertRefused(UserError, "must keep at least one user"):
            first.unlink()

    def test_professional_has_exactly_one_user(self):
        account = self.create_account("Dr Who", kind="professional")
        self.assertEqual(account.user_ids.user_id.partner_id, account.partner_id)
        with self.assertRefused(ValidationError, "exactly one user"):
            self.env["comms.account.user"].create(
                {"account_id": account.id, "name": "Nurse", "email": "n@who.com"}
            )
        with self.assertRefused(ValidationError, "exactly one user"):
            self.create_account("Dr No", kind="professional", users=0)
        with self.assertRefused(ValidationError, "exactly one user"):
            self.create_account("Dr Two", kind="professional", users=2)
        with self.assertRefused(ValidationError, "at least one user"):
            self.create_account("Empty Co", users=0)

    def test_same_login_refused(self):
        self.create_account("Echo")
        with self.assertRefused(UserError, "already exists"):
            self.create_account("Echo")

    def test_billing_status_transitions(self):
        def account_in(status, new):
            account = self.create_account(f"{status} {new}", lines=[self.plan])
            path = {
                "trial": [],
                "production": ["production"],
                "suspended": ["production", "suspended"],
                "unsubscribed": ["unsubscribed"],
            }[status]
            for step in path:
                account.billing_status = step
            return account

        labels = {
            "trial": "Free Trial",
            "production": "Production",
            "suspended": "Billing Suspended",
            "unsubscribed": "Unsubscribed",
        }
        for old in STATUSES:
            for new in STATUSES:
                if old == new:
                    continue
                with self.subTest(old=old, new=new):
                    account = account_in(old, new)
                    if (old, new) in ALLOWED:
                        account.with_user(self.manager_a).billing_status = new
                        self.assertEqual(account.billing_status, new)
                    elif old == "unsubscribed":
                        with self.assertRefused(
                            UserError, "can only be restored to its status"
                        ):
                            account.with_user(self.manager_a).billing_status = new
                    else:
                        message = f"cannot go from {labels[old]} to {labels[new]}"
                        with self.assertRefused(UserError, message):
                            account.with_user(self.manager_a).billing_status = new
                        self.assertEqual(account.billing_status, old)

    def test_new_account_status(self):
        for status in ("suspended", "unsubscribed"):
            with self.assertRefused(UserError, "starts in free trial or in production"):
                self.create_account(f"New {status}", status=status)

    def test_trial_refuses_numbers_and_paid_options(self):
        account = self.create_account("Foxtrot", lines=[self.plan, self.option_free])
        with self.assertRefused(ValidationError, "not during its free trial"):
            self.create_number("+12025550111", account=account)
        with self.assertRefused(ValidationError, "paid option Fax option"):
            account.line_ids = [Command.create({"product_id": self.option_paid.id})]
        account.action_production_direct()
        account.line_ids = [Command.create({"product_id": self.option_paid.id})]
        number = self.create_number("+12025550111", account=account)
        self.assertEqual(number.state, "assigned")
        # Back to trial keeps what the account has.
        account.action_suspend()
        account.action_trial()
        self.assertEqual(account.number_ids, number)

    def test_trial_end_notified_once(self):
        with freeze_time("2026-01-01"):
            account = self.create_account("Zulu")
            account.user_id = self.user_a
        self.assertEqual(account.trial_end_date, date(2026, 1, 31))
        cron = self.env.ref("comms_reseller.ir_cron_trial_ended")
        subject = f"Your free trial of account {account.cid} ended"

        def emails():
            return account.message_ids.filtered(lambda m: m.subject == subject)

        with freeze_time("2026-01-30"):
            cron.method_direct_trigger()
        self.assertFalse(account.activity_ids or emails())
        with freeze_time("2026-01-31"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(account.activity_ids.user_id, self.user_a)
        self.assertEqual(len(account.activity_ids), 1)
        self.assertEqual(len(emails()), 1)
        self.assertIn(account.admin_user_id.partner_id, emails().partner_ids)
        # A new trial is told about again when it ends.
        with freeze_time("2026-02-01"):
            account.action_production_direct()
            account.action_suspend()
            account.action_trial()
        with freeze_time("2026-03-03"):
            cron.method_direct_trigger()
        self.assertEqual(len(emails()), 2)

    def test_list_actions_on_selected_accounts(self):
        first = self.create_account("Selected One", status="production")
        second = self.create_account("Selected Two", status="production")
        trial = self.create_account("Selected Trial")
        action = self.env.ref("comms_reseller.comms_account_action_server_suspend")

        def run(accounts):
            action.with_user(self.user_a).with_context(
                active_model="comms.account", active_ids=accounts.ids
            ).run()

        run(first | second)
        self.assertEqual((first | second).mapped("billing_status"), ["suspended"] * 2)
        with self.assertRefused(UserError, "cannot go from Free Trial to Billing"):
            run(first | trial)
        self.assertEqual(trial.billing_status, "trial")
