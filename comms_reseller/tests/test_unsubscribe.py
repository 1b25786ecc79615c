from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestUnsubscribe(ResellerCase):
    def _production_account(self, name="Kilo"):
        account = self.create_account(
            name, status="production", users=2, lines=[self.plan]
        )
        numbers = self.create_number("+12025550170", account=account)
        numbers |= self.create_number("+12025550171", account=account)
        account.main_number_id = numbers[0]
        return account, numbers

    def test_delete_unsubscribes(self):
        with freeze_time("2026-01-05"):
            account, numbers = self._production_account()
            admin = account.admin_user_id
            self.run_invoicing_cron()
        with freeze_time("2026-01-20"):
            account.with_user(self.manager_a).unlink()
            self.assertTrue(account.exists())
            self.assertEqual(account.billing_status, "unsubscribed")
            self.assertFalse(account.active)
            self.assertEqual(account.unsubscribe_date, date(2026, 1, 20))
            self.assertEqual(account.unsubscribe_days_left, 90)
            Account = self.env["comms.account"].with_user(self.user_a)
            self.assertNotIn(account, Account.search([]))
            self.assertIn(account, Account.search([("active", "=", False)]))
            # Users lose their access, numbers go back to the stock.
            self.assertFalse(any(account.user_ids.user_id.mapped("active")))
            self.assertEqual(numbers.mapped("state"), ["available", "available"])
            self.assertFalse(numbers.account_id)
            self.assertFalse(account.main_number_id)
            # The administrator was told, in the chatter too.
            message = account.message_ids.filtered(
                lambda m: m.subject == f"Your account {account.cid} is unsubscribed"
            )
            self.assertEqual(message.partner_ids, admin.partner_id)
            self.assertIn("04/20/2026", str(message.body))
            self.assertIn(
                admin.partner_id,
                message.notification_ids.filtered(
                    lambda n: n.notification_type == "email"
                ).res_partner_id,
            )
        with freeze_time("2026-02-10"):
            account.invalidate_recordset(["unsubscribe_days_left"])
            self.assertEqual(account.unsubscribe_days_left, 69)
        # The paid month runs out, nothing more is invoiced.
        for day in ("2026-02-05", "2026-03-05"):
            with freeze_time(day):
                self.run_invoicing_cron()
        self.assertEqual(len(self.invoices_of(account)), 1)

    def test_released_numbers_go_to_another_account(self):
        account, numbers = self._production_account()
        other = self.create_account("Lima", status="production")
        account.action_unsubscribe()
        with self.assertRefused(ValidationError, "is unsubscribed: restore it"):
            numbers[1].action_assign(account)
        numbers[0].action_assign(other)
        self.assertEqual(other.number_ids, numbers[0])
        account_again = self.env["comms.number"].search(
            [("name", "=", numbers[0].name), ("state", "!=", "released")]
        )
        self.assertEqual(account_again.account_id, other)

    def test_restore_within_90_days(self):
        with freeze_time("2026-01-05"):
            account, _numbers = self._production_account()
            self.run_invoicing_cron()
            account.unlink()
        with freeze_time("2026-04-05"):
            account.with_user(self.user_a).action_restore()
            self.assertEqual(account.billing_status, "production")
            self.assertTrue(account.active)
            self.assertFalse(account.unsubscribe_date)
            self.assertTrue(all(account.user_ids.user_id.mapped("active")))
            self.run_invoicing_cron()
        self.assertEqual(
            [i.invoice_date for i in self.invoices_of(account)],
            [date(2026, 1, 5), date(2026, 4, 5)],
        )

    def test_restore_after_90_days_refused(self):
        with freeze_time("2026-01-05"):
            account = self.create_account("Mike")
            account.action_unsubscribe()
        with freeze_time("2026-04-06"):
            with self.assertRefused(UserError, "more than 90 days ago"):
                account.action_restore()
            account.invalidate_recordset(["unsubscribe_days_left"])
            self.assertEqual(account.unsubscribe_days_left, 0)
        with self.assertRefused(UserError, "is not unsubscribed"):
            self.create_account("November").action_restore()

    def test_real_unlink(self):
        account = self.create_account("Oscar")
        account.unlink()
        self.assertTrue(account.exists())
        account.unlink()
        self.assertFalse(account.exists())

        invoiced, _numbers = self._production_account("Papa")
        self.run_invoicing_cron()
        invoiced.unlink()
        with self.assertRefused(UserError, "has invoices: it cannot be deleted"):
            invoiced.unlink()
        self.assertTrue(invoiced.exists())

    def test_archive_and_unarchive_from_the_list(self):
        account = self.create_account("Quebec")
        account.action_archive()
        self.assertEqual(account.billing_status, "unsubscribed")
        account.action_unarchive()
        self.assertEqual(account.billing_status, "trial")

    def _last_chance_messages(self, account):
        return account.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Last chance")
        )

    def test_last_chance_email_a_week_before_the_anonymisation(self):
        with freeze_time("2026-01-05"):
            account, _numbers = self._production_account("Oscar Dental")
            admin = account.admin_user_id
            self.run_invoicing_cron()
        with freeze_time("2026-01-20"):
            account.unlink()
        Account = self.env["comms.account"]
        with freeze_time("2026-04-12"):
            Account._cron_send_last_chance()
            self.assertFalse(self._last_chance_messages(account))
        for day in ("2026-04-13", "2026-04-14", "2026-04-19"):
            with freeze_time(day):
                Account._cron_send_last_chance()
        message = self._last_chance_messages(account)
        self.assertEqual(len(message), 1, "sent once, on the 7th day before")
        self.assertEqual(
            message.subject,
            f"Last chance: your account {account.cid} is deleted on 04/20/2026",
        )
        self.assertIn(
            admin.partner_id,
            message.notification_ids.filtered(
                lambda n: n.notification_type == "email"
            ).res_partner_id,
        )
        statement, users = message.attachment_ids.sorted("name")
        self.assertTrue(statement.name.startswith(f"Statement {account.cid}"))
        # Tests render reports as HTML instead of PDF (no wkhtmltopdf run).
        self.assertIn("Plan 30", statement.raw.decode())
        self.assertEqual(users.name, f"Users {account.cid}.csv")
        rows = users.raw.decode("utf-8-sig").splitlines()
        self.assertEqual(rows[0], "CID,CAN,Name,Email,Administrator")
        self.assertIn(
            f"{account.cid},{account.can},Oscar Dental user 0,"
            "oscardental.0@client.example.com,True",
            rows,
        )
        self.assertEqual(len(rows), 3)

    def test_last_chance_again_after_a_restore(self):
        with freeze_time("2026-01-05"):
            account, _numbers = self._production_account("Papa")
            account.action_unsubscribe()
        with freeze_time("2026-03-30"):
            self.env["comms.account"]._cron_send_last_chance()
            account.action_restore()
            self.assertFalse(account.last_chance_date)
        with freeze_time("2026-05-01"):
            account.action_unsubscribe()
        with freeze_time("2026-07-24"):
            self.env["comms.account"]._cron_send_last_chance()
        self.assertEqual(len(self._last_chance_messages(account)), 2)
        # The anonymisation removes the correspondence; nothing is sent after it.
        with freeze_time("2026-08-01"):
            self.env["comms.account"]._cron_anonymise_unsubscribed()
            account.last_chance_date = False
            self.env["comms.account"]._cron_send_last_chance()
        self.assertFalse(self._last_chance_messages(account))
