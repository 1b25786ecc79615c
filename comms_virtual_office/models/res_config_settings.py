from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    office_allow_scan_request = fields.Boolean(
        string="Allow clients to request scans",
        config_parameter="comms_virtual_office.allow_scan_request",
    )
    office_scan_confirmation_text = fields.Char(
        string="Scan request confirmation",
        config_parameter="comms_virtual_office.scan_confirmation_text",
        help="Shown to the client before they confirm a scan request.",
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
        string="Office email", config_parameter="comms_virtual_office.office_email"
    )
    office_notify_sms = fields.Boolean(
        string="Text the office", config_parameter="comms_virtual_office.notify_sms"
    )
    office_sms_number = fields.Char(
        string="Office mobile number",
        config_parameter="comms_virtual_office.office_sms_number",
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
        "product.product",
        string="Invoiced product",
        config_parameter="comms_virtual_office.invoice_product_id",
        domain="[('sale_ok', '=', True)]",
        help="Product, and through it income account and taxes, of the invoice "
        "lines of extra costs.",
    )
