import csv
import io
import json

from odoo.tests import HttpCase, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestExport(ResellerCase, HttpCase):
    """Export of the selected accounts: CSV with the saved template, PDF list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.juliet = cls.create_account("Juliet Dental", status="production", users=2)
        cls.number = cls.create_number("+12025550160", account=cls.juliet)
        cls.juliet.main_number_id = cls.number
        cls.kilo = cls.create_account("Kilo Legal", kind="professional")
        cls.lima = cls.create_account("Lima Foods")
        cls.other_reseller = cls.create_account("Mike B", company=cls.reseller_b)
        cls.user_a.password = cls.user_a.login
        # Exporting is Odoo's own right, given to the staff who may export.
        cls.user_a.groups_id |= cls.env.ref("base.group_allow_export")

    def test_csv_with_the_saved_template(self):
        self.authenticate(self.user_a.login, self.user_a.login)
        template = self.env.ref("comms_reseller.ir_exports_comms_account_list")
        fields = self.make_jsonrpc_request(
            "/web/export/namelist",
            {"model": "comms.account", "export_id": template.id},
        )
        self.assertEqual(
            [field["id"] for field in fields],
            [
                "cid",
                "name",
                "orgid",
                "user_count",
                "can",
                "main_number_id/name",
                "billing_status",
            ],
        )
        data = {
            "model": "comms.account",
            "fields": [{"name": f["id"], "label": f["string"]} for f in fields],
            "ids": (self.juliet | self.kilo).ids,
            "domain": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/csv",
            data={"data": json.dumps(data), "csrf_token": self.csrf_token()},
        )
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            rows[0],
            [
                "CID",
                "Name",
                "ORGID",
                "Users Count",
                "CAN",
                "Main Phone Number/Number",
                "Billing Status",
            ],
        )
        by_name = {row[1]: row for row in rows[1:]}
        self.assertEqual(set(by_name), {"Juliet Dental", "Kilo Legal"})
        juliet = by_name["Juliet Dental"]
        # Odoo quotes a leading "+" so that spreadsheets do not read a formula.
        self.assertEqual(
            juliet,
            [
                self.juliet.cid,
                "Juliet Dental",
                self.juliet.cid,
                "2",
                self.juliet.can,
                "'+12025550160",
                "Production",
            ],
        )
        self.assertEqual(by_name["Kilo Legal"][6], "Free Trial")

    def csrf_token(self):
        page = self.url_open("/web/login")
        return page.text.split('csrf_token: "')[1].split('"')[0]

    def test_pdf_list_of_selected_accounts(self):
        report = self.env.ref("comms_reseller.action_report_account_list")
        self.assertEqual(report.binding_model_id.model, "comms.account")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_a)
            ._render_qweb_html(report, (self.juliet | self.lima).ids)[0]
            .decode()
        )
        for text in (
            self.juliet.cid,
            "Juliet Dental",
            "+12025550160",
            "Production",
            self.lima.can,
            "Lima Foods",
            "Free Trial",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Kilo Legal", html)
