from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    comms_default_shared_contacts_limit = fields.Integer(
        related="company_id.comms_default_shared_contacts_limit", readonly=False
    )
    comms_default_contacts_limit = fields.Integer(
        related="company_id.comms_default_contacts_limit", readonly=False
    )
    comms_default_voice_directory_limit = fields.Integer(
        related="company_id.comms_default_voice_directory_limit", readonly=False
    )
    comms_default_downloaded_messages_limit = fields.Integer(
        related="company_id.comms_default_downloaded_messages_limit", readonly=False
    )
    comms_default_voicemails_limit = fields.Integer(
        related="company_id.comms_default_voicemails_limit", readonly=False
    )
    comms_default_faxes_limit = fields.Integer(
        related="company_id.comms_default_faxes_limit", readonly=False
    )
    comms_provisioning_ftp_url = fields.Char(
        related="company_id.comms_provisioning_ftp_url", readonly=False
    )
    comms_units_account_id = fields.Many2one(
        related="company_id.comms_units_account_id", readonly=False
    )
    comms_units_revenue_account_id = fields.Many2one(
        related="company_id.comms_units_revenue_account_id", readonly=False
    )
    comms_units_per_fax_page = fields.Integer(
        related="company_id.comms_units_per_fax_page", readonly=False
    )
    comms_units_per_sms_segment = fields.Integer(
        related="company_id.comms_units_per_sms_segment", readonly=False
    )
