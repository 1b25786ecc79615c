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
    # A professional account's "faxes on disk" limit is its lines' document limit.
    document_limit = fields.Integer(
        compute="_compute_document_limit", store=True, readonly=False
    )

    @api.depends("comms_account_id.faxes_limit", "comms_account_id.kind")
    def _compute_document_limit(self):
        # Other lines keep the limit set on them (comms_fax's field).
        for line in self._comms_professional_lines():
            line.document_limit = line.comms_account_id.faxes_limit

    def _comms_professional_lines(self):
        return self.filtered(lambda line: line.comms_account_id.kind == "professional")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # The field's default (25) was given at creation: the account's limit wins.
        lines._comms_professional_lines()._compute_document_limit()
        return lines

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
