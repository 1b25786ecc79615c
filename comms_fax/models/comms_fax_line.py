import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import mute_logger

from odoo.addons.comms_shared_inbox.tools import is_withheld_caller_id
from odoo.addons.phone_validation.tools import phone_validation

_logger = logging.getLogger(__name__)

# Faxes whose document may be purged: delivered to their conversation and final.
DONE_STATES = ("received", "sent")


class CommsFaxLine(models.Model):
    """A group's fax number, at one provider account."""

    _name = "comms.fax.line"
    _description = "Fax line"
    _inherit = ["mail.thread"]
    _order = "group_id, number"
    _rec_name = "number"
    _check_company_auto = True

    number = fields.Char(
        required=True,
        tracking=True,
        copy=False,
        help="The fax number customers dial, stored in international (E.164) format.",
    )
    active = fields.Boolean(default=True)
    provider_id = fields.Many2one(
        "comms.fax.provider",
        required=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
    )
    group_id = fields.Many2one(
        "comms.group",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
        help="Faxes to this number land in this group's inbox.",
    )
    company_id = fields.Many2one(related="group_id.company_id", store=True, index=True)
    used_by_card_terminals = fields.Boolean(
        string="Used by card terminals",
        tracking=True,
        help="Card-payment terminals dial out over this line. Such a number cannot "
        "be ported: the terminals would stop working.",
    )
    document_limit = fields.Integer(
        string="Documents kept",
        default=25,
        tracking=True,
        help="Keep the documents of at most this many delivered faxes; older "
        "documents are removed (the faxes and their log stay).",
    )
    fax_ids = fields.One2many("comms.fax", "line_id")
    fax_count = fields.Integer(string="Faxes", compute="_compute_fax_count")

    _sql_constraints = [
        (
            "number_unique",
            "UNIQUE(number)",
            "This fax number already belongs to another line.",
        ),
        (
            "group_unique",
            "UNIQUE(group_id)",
            "A group has one fax line, and a fax line reaches one group.",
        ),
    ]

    @api.constrains("document_limit")
    def _check_document_limit(self):
        if any(line.document_limit < 1 for line in self):
            raise ValidationError(
                self.env._("A fax line keeps the documents of at least one fax.")
            )

    def _compute_fax_count(self):
        counts = dict(
            self.env["comms.fax"]._read_group(
                [("line_id", "in", self.ids)], ["line_id"], ["__count"]
            )
        )
        for line in self:
            line.fax_count = counts.get(line, 0)

    @api.depends("number", "group_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.number} ({line.group_id.name})"
                if line.group_id
                else line.number
            )

    def _format_recipient(self, number):
        """`number` in E.164, or a ValidationError naming it. A national number is
        read as this line dials it: in the country of the line's own number (a
        Lyon line dials 04… in France), else in the company's country."""
        self.ensure_one()
        country = self._dialling_country()
        formatted = country and self.company_id._phone_format(
            number=(number or "").strip(), country=country, force_format="E164"
        )
        return formatted or self.company_id._comms_check_phone(number)

    def _dialling_country(self):
        code = phone_validation.phone_get_country_code_for_number(self.number or "")
        return code and self.env["res.country"].search([("code", "=", code)], limit=1)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prepare_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._prepare_vals(vals)
        return super().write(vals)

    def _prepare_vals(self, vals):
        # Checked before writing: the SQL constraints behind give no readable message.
        if vals.get("number"):
            group = self.env["comms.group"].browse(vals.get("group_id")) or (
                self[:1].group_id
            )
            company = group.company_id or self.env.company
            vals["number"] = company._comms_check_phone(vals["number"])
            self._check_free("number", vals["number"])
        if vals.get("group_id"):
            self._check_free("group_id", vals["group_id"])

    def _check_free(self, field, value):
        # Numbers are unique across companies: look also at lines the user cannot see.
        other_sudo = (
            self.sudo()
            .with_context(active_test=False)
            .search([(field, "=", value), ("id", "not in", self.ids)], limit=1)
        )
        if not other_sudo:
            return
        if field == "number":
            raise ValidationError(
                self.env._(
                    "%(number)s is already the fax line of %(group)s: a number "
                    "reaches one group only.",
                    number=value,
                    group=other_sudo.group_id.name,
                )
            )
        raise ValidationError(
            self.env._(
                "%(group)s already has the fax line %(number)s: a group has one fax "
                "line. Change that line's number, or create another group.",
                group=other_sudo.group_id.name,
                number=other_sudo.number,
            )
        )

    @api.model
    def _find_by_number(self, number, provider):
        normalized = provider.company_id._comms_format_phone(number)
        if not normalized:
            return self.browse()
        return self.search(
            [("number", "=", normalized), ("provider_id", "=", provider.id)], limit=1
        )

    def _receive_fax(self, sender, document, provider_ref, mimetype=None):
        """A fax that `sender` sent to this line: stored, counted and posted in the
        customer's conversation (the group's Unknown sender one when the caller
        withheld their number). Idempotent on the provider's id."""
        self.ensure_one()
        faxes = self.env["comms.fax"]
        # One delivery at a time per provider id, so that a repeat finds the first.
        self.env["comms.conversation"]._lock_customer(
            self.group_id, f"fax:{provider_ref}"
        )
        existing = faxes.search(
            [
                ("provider_id", "=", self.provider_id.id),
                ("provider_ref", "=", provider_ref),
            ],
            limit=1,
        )
        if existing:
            return existing
        # Nobody follows a fax the provider delivered: its conversation is the thread.
        fax = faxes.with_context(mail_create_nosubscribe=True).create(
            {
                "direction": "in",
                "state": "received",
                "line_id": self.id,
                "remote_number": self._remote_number(sender),
                "provider_ref": provider_ref,
            }
        )
        fax._attach_document(document, mimetype)
        fax._post_inbound()
        self._enforce_document_limit()
        return fax

    def _remote_number(self, sender):
        if is_withheld_caller_id(sender):
            return False
        return self.company_id._comms_format_phone(sender) or sender

    def _receive_fax_base64(self, sender, datas, provider_ref, mimetype=None):
        return self._receive_fax(
            sender, base64.b64decode(datas), provider_ref, mimetype
        )

    def _enforce_document_limit(self):
        """Remove the documents of the oldest delivered faxes beyond the limit.

        Deliveries on one line run concurrently and see the same old faxes: each
        purges only the rows it can lock (SKIP LOCKED), and one that loses a race
        leaves the purge to the others instead of failing the delivery.
        """
        faxes = self.env["comms.fax"]
        for line in self:
            beyond = faxes.search(
                [
                    ("line_id", "=", line.id),
                    ("state", "in", DONE_STATES),
                    ("document_purged", "=", False),
                    ("attachment_id", "!=", False),
                ],
                order="date desc, id desc",
                offset=line.document_limit,
            )
            if not beyond:
                continue
            try:
                # A lost race is expected here, not an error worth logging.
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    self.env.cr.execute(
                        "SELECT id FROM comms_fax WHERE id IN %s "
                        "FOR UPDATE SKIP LOCKED",
                        [tuple(beyond.ids)],
                    )
                    faxes.browse(r[0] for r in self.env.cr.fetchall())._purge_document()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                _logger.info(
                    "%s: documents purged by a concurrent delivery", line.number
                )

    def action_open_faxes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_fax.comms_fax_action"
        )
        action["domain"] = [("line_id", "=", self.id)]
        action["context"] = {"default_line_id": self.id}
        return action
