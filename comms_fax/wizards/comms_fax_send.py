from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pdf


class CommsFaxSend(models.TransientModel):
    """Send one or more PDFs, with an optional cover page, as one fax."""

    _name = "comms.fax.send"
    _description = "Send a fax"

    conversation_id = fields.Many2one("comms.conversation", readonly=True)
    line_id = fields.Many2one(
        "comms.fax.line",
        string="From line",
        required=True,
        compute="_compute_line_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    recipient_number = fields.Char(
        string="To fax number",
        required=True,
        compute="_compute_recipient_number",
        store=True,
        precompute=True,
        readonly=False,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "comms_fax_send_ir_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="PDF documents",
        help="Sent one after the other, in the order they were added.",
    )
    cover_page = fields.Boolean(string="Add a cover page", default=True)
    cover_subject = fields.Char(string="Subject")
    cover_note = fields.Text(string="Note")

    @api.depends("conversation_id")
    def _compute_line_id(self):
        users_line = self._users_line()
        for wizard in self:
            group = wizard.conversation_id.group_id
            wizard.line_id = group.fax_line_id if group else users_line

    def _users_line(self):
        """The line the user sends from, when it is clear: the one line of the
        groups they are a member of, else the only line they may use."""
        lines = self.env["comms.fax.line"].search([])
        own_lines = lines.filtered(lambda line: self.env.user in line.group_id.user_ids)
        for candidates in (own_lines, lines):
            if len(candidates) == 1:
                return candidates
        return lines.browse()

    @api.depends("conversation_id")
    def _compute_recipient_number(self):
        for wizard in self:
            conversation = wizard.conversation_id
            last_fax = conversation.fax_ids.filtered(lambda f: f.direction == "in")[:1]
            wizard.recipient_number = (
                last_fax.remote_number
                or conversation.partner_id.phone
                or conversation.partner_id.mobile
                or False
            )

    def _checked_number(self):
        return self.line_id._format_recipient(self.recipient_number)

    def _document(self):
        attachments = self.attachment_ids.sorted("id")
        if not attachments:
            raise UserError(self.env._("Add at least one PDF to send."))
        try:
            merged = pdf.merge(attachments.mapped("raw"))
        except pdf.PdfError as error:
            index = int(str(error).split(":", 1)[0])
            raise UserError(
                self.env._(
                    "%(name)s is not a PDF that can be faxed (damaged or "
                    "encrypted). Export it again as PDF.",
                    name=attachments[index].name,
                )
            ) from error
        if self.cover_page:
            merged = pdf.merge([self._cover_page(pdf.page_count(merged)), merged])
        return merged

    def _cover_page(self, pages):
        line, partner = self.line_id, self.conversation_id.partner_id
        company = line.company_id
        lines = [
            (self.env._("From"), f"{company.name} – {line.group_id.name}"),
            (self.env._("Fax"), line.number),
            (self.env._("To"), partner.name or self.recipient_number),
            (self.env._("Fax number"), self.recipient_number),
            (
                self.env._("Date"),
                fields.Date.to_string(fields.Date.context_today(self)),
            ),
            (self.env._("Pages"), self.env._("%(count)s + cover", count=pages)),
            (self.env._("Subject"), self.cover_subject or ""),
        ]
        return pdf.cover_page(self.env._("Fax"), lines, self.cover_note or "")

    def _conversation(self, number):
        if self.conversation_id:
            if self.conversation_id.group_id != self.line_id.group_id:
                raise UserError(
                    self.env._(
                        "Send from the fax line of %(group)s, the conversation's "
                        "group.",
                        group=self.conversation_id.group_id.name,
                    )
                )
            return self.conversation_id
        # The customer is found (or made) among all the company's contacts, as the
        # inbound channels do, whatever the member may read.
        conversations_sudo = self.env["comms.conversation"].sudo()
        group = self.line_id.group_id
        partner = conversations_sudo._find_or_create_partner_by_phone(
            group, number, "fax"
        )
        return conversations_sudo._get_for_customer(group, partner)

    def action_send(self):
        """Queue the fax; the cron sends it in a transaction of its own."""
        self.ensure_one()
        number = self._checked_number()
        document = self._document()
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "queued",
                "line_id": self.line_id.id,
                "conversation_id": self._conversation(number).id,
                "remote_number": number,
                "user_id": self.env.user.id,
            }
        )
        fax._attach_document(document)
        fax._trigger_send()
        return fax.get_formview_action()
