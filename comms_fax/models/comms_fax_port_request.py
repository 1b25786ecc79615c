from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

INVOICE_MAX_AGE_DAYS = 30


class CommsFaxPortRequest(models.Model):
    """Moving an existing fax number from its carrier to a group's fax line."""

    _name = "comms.fax.port.request"
    _description = "Fax number port request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("confirmed", "Confirmed"),
            ("completed", "Completed"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    number = fields.Char(required=True, tracking=True, help="The fax number to move.")
    group_id = fields.Many2one(
        "comms.group",
        string="Target group",
        required=True,
        tracking=True,
        help="The group whose fax line the number becomes.",
    )
    company_id = fields.Many2one(related="group_id.company_id", store=True, index=True)
    provider_id = fields.Many2one(
        "comms.fax.provider",
        string="New provider account",
        required=True,
        tracking=True,
        check_company=True,
    )
    requester_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    losing_carrier = fields.Char(
        string="Losing carrier",
        required=True,
        tracking=True,
        help="The carrier the number leaves.",
    )
    account_number = fields.Char(
        string="Account number",
        required=True,
        tracking=True,
        help="The account number at the losing carrier.",
    )
    invoice_date = fields.Date(
        string="Invoice date",
        help="Date of the losing carrier's invoice; carriers want one at most "
        "30 days old.",
    )
    invoice_file = fields.Binary(string="Recent invoice", attachment=True)
    invoice_filename = fields.Char(string="Invoice file name")
    loa_file = fields.Binary(string="Signed Letter of Authorization", attachment=True)
    loa_filename = fields.Char(string="Letter of Authorization file name")
    used_by_card_terminals = fields.Boolean(
        string="Used by card terminals",
        help="Card-payment terminals dial out over this number.",
    )
    carrier_date = fields.Date(
        string="Porting date",
        tracking=True,
        help="The date the carriers confirmed for the move.",
    )
    rejection_reason = fields.Text(string="Rejection reason", tracking=True)
    line_id = fields.Many2one(
        "comms.fax.line", string="Fax line", readonly=True, check_company=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("comms.fax.port.request") or "/"
        requests = super().create(vals_list)
        for request in requests:
            request.message_subscribe(partner_ids=request.requester_id.partner_id.ids)
        return requests

    @api.constrains("number")
    def _check_number(self):
        for request in self:
            request._normalized_number()

    def _normalized_number(self):
        return self.company_id._comms_check_phone(self.number)

    # ------------------------------------------------------------------
    # Checks before the request leaves
    # ------------------------------------------------------------------

    def _check_portable(self):
        self.ensure_one()
        number = self._normalized_number()
        # A number is one line across companies, whoever may read that line.
        line_sudo = self.env["comms.fax.line"].sudo().search([("number", "=", number)])
        if self.used_by_card_terminals or line_sudo.used_by_card_terminals:
            raise UserError(
                self.env._(
                    "%(number)s cannot be ported: card-payment terminals dial out "
                    "over it and would stop working once the number moves. Move the "
                    "terminals to another line first.",
                    number=number,
                )
            )
        if line_sudo:
            raise UserError(
                self.env._(
                    "%(number)s is already the fax line of %(group)s.",
                    number=number,
                    group=line_sudo.group_id.name,
                )
            )
        # Managers requesting a port may not be members of the target group.
        if self.group_id.sudo().fax_line_ids:
            raise UserError(
                self.env._(
                    "%(group)s already has a fax line: a group has one fax line.",
                    group=self.group_id.name,
                )
            )

    def _check_documents(self):
        self.ensure_one()
        if not (self.invoice_file and self.invoice_date):
            raise UserError(
                self.env._("Attach a recent invoice of the carrier and its date.")
            )
        age = (fields.Date.context_today(self) - self.invoice_date).days
        if not 0 <= age <= INVOICE_MAX_AGE_DAYS:
            raise UserError(
                self.env._(
                    "The invoice is dated %(date)s: carriers want one issued within "
                    "the last %(days)s days.",
                    date=format_date(self.env, self.invoice_date),
                    days=INVOICE_MAX_AGE_DAYS,
                )
            )
        if not self.loa_file:
            raise UserError(self.env._("Attach the signed Letter of Authorization."))

    # ------------------------------------------------------------------
    # Workflow; the requester hears of every step in the chatter
    # ------------------------------------------------------------------

    def _check_state(self, allowed):
        if any(request.state not in allowed for request in self):
            raise UserError(self.env._("This step is not possible in this state."))

    def _check_carrier_side(self):
        # Confirmations and rejections come from the carriers through an admin.
        if not self.env.user.has_group("comms_shared_inbox.group_comms_admin"):
            raise AccessError(
                self.env._("Only a Shared Inbox administrator records carrier replies.")
            )

    def _inform_requester(self, body):
        for request in self:
            request.message_post(
                body=body,
                partner_ids=request.requester_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def action_submit(self):
        self._check_state(("draft", "rejected"))
        for request in self:
            request._check_portable()
            request._check_documents()
            request.write(
                {"state": "submitted", "number": request._normalized_number()}
            )
            request._inform_requester(
                self.env._(
                    "Port request for %(number)s submitted to %(carrier)s. You will "
                    "hear here when the carriers confirm a date.",
                    number=request.number,
                    carrier=request.losing_carrier,
                )
            )
        return True

    def action_confirm(self):
        self._check_carrier_side()
        self._check_state(("submitted",))
        if any(not request.carrier_date for request in self):
            raise UserError(self.env._("Enter the porting date the carriers gave."))
        for request in self:
            request.state = "confirmed"
            request._inform_requester(
                self.env._(
                    "The carriers confirmed the move of %(number)s on %(date)s.",
                    number=request.number,
                    date=format_date(self.env, request.carrier_date),
                )
            )
        return True

    def action_reject(self):
        self._check_carrier_side()
        self._check_state(("submitted", "confirmed"))
        if any(not (request.rejection_reason or "").strip() for request in self):
            raise UserError(self.env._("Enter the reason the carrier gave."))
        for request in self:
            request.state = "rejected"
            request._inform_requester(
                # The reason ends the sentence: the carrier's own full stop, if
                # any, is the only one.
                self.env._(
                    "The port of %(number)s was rejected; fix the request and "
                    "submit it again. The carrier's reason: %(reason)s",
                    number=request.number,
                    reason=request.rejection_reason.strip(),
                )
            )
        return True

    def action_complete(self):
        self._check_carrier_side()
        self._check_state(("confirmed",))
        for request in self:
            request._check_portable()
            line = self.env["comms.fax.line"].create(
                {
                    "number": request.number,
                    "group_id": request.group_id.id,
                    "provider_id": request.provider_id.id,
                }
            )
            request.write({"state": "completed", "line_id": line.id})
            request._inform_requester(
                self.env._(
                    "%(number)s is now the fax line of %(group)s: faxes to it land in "
                    "the group's inbox. You may now cancel your service with "
                    "%(carrier)s.",
                    number=request.number,
                    group=request.group_id.name,
                    carrier=request.losing_carrier,
                )
            )
        return True

    def action_cancel(self):
        self._check_state(("draft", "submitted", "confirmed", "rejected"))
        self.write({"state": "cancelled"})
        self._inform_requester(self.env._("Port request cancelled."))
        return True

    def action_draft(self):
        self._check_state(("rejected", "cancelled"))
        self.write({"state": "draft"})
        return True
