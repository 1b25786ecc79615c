import re
from contextlib import contextmanager

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.comms_fax.tests.common import TELNYX_KEY, FakeProviderServer


class ResellerCase(AccountTestInvoicingCommon):
    """Two resellers (companies with a chart of accounts), their staff, the
    database administrator, and plans and options, some of them allowed."""

    @classmethod
    def default_env_context(cls):
        # Tracking and emails are part of what is tested here.
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reseller_a = cls.env.company
        cls.reseller_a.name = "Reseller A"
        cls.reseller_b = cls.setup_other_company(name="Reseller B")["company"]
        cls.env.user.groups_id |= cls.env.ref("comms_reseller.group_reseller_manager")

        Product = cls.env["product.product"]
        cls.plan = Product.create(
            {
                "name": "Plan 30",
                "type": "service",
                "comms_kind": "plan",
                "lst_price": 30,
            }
        )
        cls.option_paid = Product.create(
            {
                "name": "Fax option",
                "type": "service",
                "comms_kind": "option",
                "lst_price": 10,
            }
        )
        cls.option_free = Product.create(
            {
                "name": "Voicemail option",
                "type": "service",
                "comms_kind": "option",
                "lst_price": 0,
            }
        )
        cls.plan_b_only = Product.create(
            {"name": "Plan B", "type": "service", "comms_kind": "plan", "lst_price": 5}
        )
        cls.reseller_a.comms_allowed_product_ids = [
            Command.set(
                (cls.plan | cls.option_paid | cls.option_free).product_tmpl_id.ids
            )
        ]
        cls.reseller_b.comms_allowed_product_ids = [
            Command.set((cls.plan | cls.plan_b_only).product_tmpl_id.ids)
        ]

        cls.user_a = cls._staff(
            "reseller_a_user", "group_reseller_user", cls.reseller_a
        )
        cls.manager_a = cls._staff(
            "reseller_a_manager", "group_reseller_manager", cls.reseller_a
        )
        cls.user_b = cls._staff(
            "reseller_b_user", "group_reseller_user", cls.reseller_b
        )
        cls.sysadmin = new_test_user(
            cls.env,
            login="db_admin",
            name="Database Administrator",
            groups="base.group_system,comms_reseller.group_reseller_manager",
            company_id=cls.reseller_a.id,
            company_ids=[Command.set((cls.reseller_a | cls.reseller_b).ids)],
        )

    @classmethod
    def _staff(cls, login, group, company):
        return new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@reseller.example.com",
            groups=f"comms_reseller.{group}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def create_account(
        cls, name, company=None, kind="company", status="trial", users=1, lines=()
    ):
        company = company or cls.reseller_a
        login = name.lower().replace(" ", "")
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": kind == "company", "email": f"{login}@x.com"}
        )
        return (
            cls.env["comms.account"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "kind": kind,
                    "billing_status": status,
                    "user_ids": [
                        Command.create(
                            {
                                "name": f"{name} user {i}",
                                "email": f"{login}.{i}@client.example.com",
                            }
                        )
                        for i in range(users)
                    ],
                    "line_ids": [
                        Command.create({"product_id": product.id}) for product in lines
                    ],
                }
            )
        )

    @classmethod
    def create_number(cls, number, account=None, company=None, **values):
        company = company or (account.company_id if account else cls.reseller_a)
        return cls.env["comms.number"].create(
            {
                "name": number,
                "company_id": company.id,
                "account_id": account.id if account else False,
                "country_id": cls.env.ref("base.us").id,
                **values,
            }
        )

    def run_invoicing_cron(self):
        self.env.ref("contract.contract_cron_for_invoice").method_direct_trigger()

    def invoices_of(self, account):
        return account.sudo()._get_invoices().sorted("invoice_date")

    @contextmanager
    def assertRefused(self, exception, regex):
        """assertRaisesRegex rolling back what the refused operation wrote, as
        Odoo's assertRaises does."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)


class RpcAsUser:
    """Calls over XML-RPC as a test user whose password is their login."""

    def rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )


class PortalForms:
    """Forms posted on the portal as a test user whose password is their login."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, path, **values):
        page = self.url_open("/my")
        token = re.search(r'csrf_token: "([^"]+)"', page.text)
        data = {"csrf_token": token.group(1), "lang": "en_US"}
        data.update(values)
        return self.url_open(path, data=data)


class FaxLineCase(ResellerCase):
    """Reseller A's faxes go to a fake Telnyx over real HTTP, which tells
    whether anything reached the provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.server = FakeProviderServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.fax_provider = cls.env["comms.fax.provider"].create(
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

    @classmethod
    def create_fax_line(cls, account, number, group_name):
        """A fax line on `number`, a fax number of `account`, for a new group of
        the account."""
        cls.create_number(number, account=account, option_fax=True)
        group = cls.env["comms.group"].create(
            {
                "name": group_name,
                "company_id": account.company_id.id,
                "comms_account_id": account.id,
            }
        )
        return cls.env["comms.fax.line"].create(
            {"number": number, "group_id": group.id, "provider_id": cls.fax_provider.id}
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def _posted(self):
        return [r for r in self.server.requests if r["method"] == "POST"]
