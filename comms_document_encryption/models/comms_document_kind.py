from odoo import api, fields, models, tools


class CommsDocumentKind(models.Model):
    """A kind of document another addon asks to keep encrypted: the attachments of
    one model. Declared by those addons in a data file; switched off here."""

    _name = "comms.document.kind"
    _description = "Kind of Encrypted Document"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    model_id = fields.Many2one(
        "ir.model",
        string="Documents of",
        required=True,
        ondelete="cascade",
        help="The attachments of the records of this model are this kind.",
    )
    res_model = fields.Char(related="model_id.model", store=True, string="Model")
    encrypted = fields.Boolean(
        default=True, help="Store these documents encrypted in the filestore."
    )
    encrypted_count = fields.Integer(
        compute="_compute_counts", string="Encrypted Documents"
    )
    clear_count = fields.Integer(compute="_compute_counts", string="Documents in Clear")

    _sql_constraints = [
        (
            "model_unique",
            "unique(model_id)",
            "A model can be declared as one kind of document only.",
        )
    ]

    def _compute_counts(self):
        counts = dict.fromkeys(self.mapped("res_model"), (0, 0))
        attachments = self.env["ir.attachment"].sudo()  # counters for administrators
        groups = attachments._read_group(
            attachments._comms_stored_domain(self.mapped("res_model")),
            ["res_model"],
            ["__count", "comms_encryption_key:count"],
        )
        for res_model, total, encrypted in groups:
            counts[res_model] = (encrypted, total - encrypted)
        for kind in self:
            kind.encrypted_count, kind.clear_count = counts[kind.res_model]

    @api.model
    @tools.ormcache()
    def _encrypted_models(self):
        # sudo: which models are encrypted is read on every attachment write
        kinds = self.sudo().search([("encrypted", "=", True)])
        return frozenset(kinds.mapped("res_model"))

    @api.model_create_multi
    def create(self, vals_list):
        kinds = super().create(vals_list)
        self._documents_changed_scope()
        return kinds

    def write(self, vals):
        result = super().write(vals)
        if {"encrypted", "model_id"} & vals.keys():
            self._documents_changed_scope()
        return result

    def unlink(self):
        result = super().unlink()
        self._documents_changed_scope()
        return result

    def _documents_changed_scope(self):
        self.env.registry.clear_cache()
        cron = self.env.ref(
            "comms_document_encryption.ir_cron_comms_document_encrypt",
            raise_if_not_found=False,
        )
        if cron:
            cron._trigger()
