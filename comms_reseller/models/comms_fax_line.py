from odoo import api, fields, models


class CommsFaxLine(models.Model):
    _inherit = "comms.fax.line"

    comms_account_id = fields.Many2one(
        related="group_id.comms_account_id",
        store=True,
        index="btree_not_null",
        string="Subscriber Account",
        help="The subscriber account owning the line's group.",
    )

    @api.constrains("number", "group_id")
    def _check_comms_account_number(self):
        for line in self.filtered("comms_account_id"):
            line.comms_account_id._check_owns_numbers([line.number], line.group_id.name)

    def _comms_release(self):
        """The account gave its number back: a line without faxes goes, a line
        with faxes is archived to keep their history."""
        with_faxes = self.filtered("fax_ids")
        with_faxes.action_archive()
        (self - with_faxes).unlink()
