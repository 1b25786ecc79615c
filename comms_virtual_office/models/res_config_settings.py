from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    office_allow_scan_request = fields.Boolean(
        string="Allow clients to request scans",
        config_parameter="comms_virtual_office.allow_scan_request",
    )
    office_scan_confirmation_text = fields.Char(
        related="company_id.office_scan_confirmation_text",
        readonly=False,
        string="Scan request confirmation",
    )
    office_scan_link_validity_days = fields.Integer(
        string="Scan link validity (days)",
        config_parameter="comms_virtual_office.scan_link_validity_days",
        default=14,
    )
    office_notify_email = fields.Boolean(
        string="Email the office", config_parameter="comms_virtual_office.notify_email"
    )
    office_email = fields.Char(
        related="company_id.office_email", readonly=False, string="Office email"
    )
    office_notify_sms = fields.Boolean(
        string="Text the office", config_parameter="comms_virtual_office.notify_sms"
    )
    office_sms_number = fields.Char(
        related="company_id.office_sms_number",
        readonly=False,
        string="Office mobile number",
    )
    office_notify_inapp = fields.Boolean(
        string="Notify office users in Odoo",
        config_parameter="comms_virtual_office.notify_inapp",
    )
    group_office_scan_request_menu = fields.Boolean(
        string="Scan requests menu",
        implied_group="comms_virtual_office.group_office_scan_request_menu",
        group="comms_virtual_office.group_office_user",
    )
    office_invoice_product_id = fields.Many2one(
        related="company_id.office_invoice_product_id",
        readonly=False,
        string="Invoiced product",
        check_company=True,
    )
