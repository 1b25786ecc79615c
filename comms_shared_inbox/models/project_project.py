from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProjectProject(models.Model):
    _inherit = "project.project"

    comms_outgoing_address_id = fields.Many2one(
        "ir.mail_server",
        "Default outgoing address",
        domain="[('comms_is_address', '=', True), ('comms_owner_id', '=', False)]",
        help="Emails written from this project's tasks leave from this address, "
        "through its server, unless the author picks another one or has a personal "
        "address.",
    )
    comms_bound_address_ids = fields.Many2many(
        "ir.mail_server",
        "comms_address_project_rel",
        "project_id",
        "server_id",
        "Outgoing addresses bound here",
        readonly=True,
    )

    @api.constrains("comms_outgoing_address_id")
    def _check_comms_outgoing_address_id(self):
        for project in self:
            address = project.sudo().comms_outgoing_address_id
            if not address:
                continue
            if not address.comms_is_address or address.comms_owner_id:
                raise ValidationError(
                    self.env._(
                        "A project's default address must be a company outgoing "
                        "address."
                    )
                )
            if address.comms_project_ids and project not in address.comms_project_ids:
                raise ValidationError(
                    self.env._(
                        "%(address)s is reserved for other projects than %(project)s.",
                        address=address.comms_email,
                        project=project.display_name,
                    )
                )
