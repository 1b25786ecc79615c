import base64

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms.tests.common import SMSCommon

PDF = b"%PDF-1.4\n% scan of a letter\n%%EOF\n"


class VirtualOfficeCase(SMSCommon):
    """Two clients (companies) with a portal contact each, the office staff, a plain
    employee, two packages, and every staff notification switched on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        for key in ("allow_scan_request", "notify_email", "notify_sms", "notify_inapp"):
            cls.params.set_param(f"comms_virtual_office.{key}", "True")
        cls.env.company.write(
            {
                "office_scan_confirmation_text": "Scanning may be charged extra",
                "office_email": "frontdesk@office.example.com",
                "office_sms_number": "+32456998877",
            }
        )

        new_user = mail_new_test_user
        cls.office_user = new_user(
            cls.env,
            login="office_user",
            name="Olga Office",
            email="olga@office.example.com",
            groups="comms_virtual_office.group_office_user",
            notification_type="inbox",
        )
        cls.office_manager = new_user(
            cls.env,
            login="office_manager",
            name="Max Manager",
            groups="comms_virtual_office.group_office_manager",
            notification_type="inbox",
        )
        cls.employee = new_user(
            cls.env,
            login="plain_employee",
            name="Eve Employee",
            groups="base.group_user",
        )
        Package = cls.env["comms.office.package"]
        cls.package_scan = Package.create(
            {"name": "Address + scans", "allow_scan_request": True, "scan_cost": 3.0}
        )
        cls.package_basic = Package.create(
            {"name": "Address only", "allow_scan_request": False}
        )
        cls.client_a, cls.portal_a = cls._client("Alpha Consulting", "portal_client_a")
        cls.client_b, cls.portal_b = cls._client("Beta Trading", "portal_client_b")

    @classmethod
    def _client(cls, name, login):
        company = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{login}@client.example.com",
                "office_package_id": cls.package_scan.id,
            }
        )
        user = mail_new_test_user(
            cls.env,
            login=login,
            name=f"{name} contact",
            groups="base.group_portal",
            email=f"{login}.contact@client.example.com",
        )
        user.partner_id.parent_id = company
        return company, user

    @classmethod
    def create_item(cls, partner, **values):
        return cls.env["comms.mail.item"].create(
            {"partner_id": partner.id, "sender_name": "Tax office", **values}
        )

    @classmethod
    def make_scan(cls, name="scan.pdf"):
        return cls.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(PDF),
                "mimetype": "application/pdf",
                "res_model": "comms.scan.request",
            }
        )
