from odoo import fields, models


class CommsAccountProvisioningCode(models.AbstractModel):
    """The provisioning security code, shown once in a dialog when generated
    (as Odoo shows a new API key, res.users.apikeys.show): never stored here."""

    _name = "comms.account.provisioning.code"
    _description = "Provisioning Security Code"

    # The web client's onchange needs an id to show the values from the context.
    id = fields.Id()
    code = fields.Char(string="Password", readonly=True)
    ftp_url = fields.Char(string="FTP Site", readonly=True)
    login = fields.Char(string="User", readonly=True)
