from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, formataddr

OPEN_STATES = ("new", "acknowledged", "claimed")


class CommsConversation(models.Model):
    """One customer's thread in one group, across email, SMS and fax."""

    _name = "comms.conversation"
    _description = "Shared inbox conversation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "last_message_date desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    group_id = fields.Many2one(
        "comms.group", required=True, index=True, ondelete="cascade", tracking=True
    )
    company_id = fields.Many2one(related="group_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="restrict"
    )
    partner_email = fields.Char(related="partner_id.email")
    partner_mobile = fields.Char(related="partner_id.mobile")
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("claimed", "Claimed"),
            ("closed", "Closed"),
            ("ignored", "Ignored"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Claimed by", index=True, tracking=True, copy=False
    )
    reference = fields.Char(tracking=True, help="The customer's PO number or similar.")
    last_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("fax", "Fax")], readonly=True
    )
    last_message_date = fields.Datetime(readonly=True, index=True)
    inbox_date = fields.Datetime(
        readonly=True, help="When the conversation last came (back) into the inbox."
    )
    claim_date = fields.Datetime(readonly=True, copy=False)
    time_to_claim = fields.Float(
        string="Time to claim (minutes)",
        readonly=True,
        aggregator="avg",
        copy=False,
        help="Minutes between arriving in the inbox and being claimed.",
    )
    last_reply_date = fields.Datetime(readonly=True, copy=False)
    last_autoreply_date = fields.Datetime(readonly=True, copy=False)
    ignore_reason = fields.Text(readonly=True, copy=False)
    message_log_ids = fields.One2many("comms.message", "conversation_id")
    message_log_count = fields.Integer(compute="_compute_message_log_count")

    _sql_constraints = [
        (
            "group_partner_unique",
            "UNIQUE(group_id, partner_id)",
            "A customer has one conversation per group.",
        ),
    ]

    @api.depends("partner_id.display_name", "group_id.name")
    def _compute_name(self):
        for conversation in self:
            conversation.name = conversation.partner_id.display_name

    def _compute_message_log_count(self):
        counts = dict(
            self.env["comms.message"]._read_group(
                [("conversation_id", "in", self.ids)], ["conversation_id"], ["__count"]
            )
        )
        for conversation in self:
            conversation.message_log_count = counts.get(conversation, 0)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("inbox_date", now)
        conversations = super().create(vals_list)
        for conversation in conversations:
            conversation.message_subscribe(partner_ids=conversation.partner_id.ids)
        return conversations

    # ------------------------------------------------------------------
    # Inbox workflow
    # ------------------------------------------------------------------

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(action)s is not possible for %(conversation)s: it is %(state)s.",
                    action=action,
                    conversation=wrong[0].display_name,
                    state=states[wrong[0].state],
                )
            )

    def _check_member(self, user):
        outsiders = self.filtered(lambda c: user not in c.group_id.user_ids)
        if outsiders:
            raise UserError(
                _(
                    "%(user)s is not a member of %(group)s.",
                    user=user.name,
                    group=outsiders[0].group_id.name,
                )
            )

    def action_acknowledge(self):
        self._check_state(("new",), _("Acknowledging"))
        self.write({"state": "acknowledged"})
        return True

    def action_claim(self):
        self._check_state(("new", "acknowledged"), _("Claiming"))
        self._claim_for(self.env.user)
        for conversation in self:
            conversation._send_autoreply("claimed", conversation.last_channel)
        return True

    def _claim_for(self, user):
        self._check_member(user)
        now = fields.Datetime.now()
        for conversation in self:
            minutes = (now - (conversation.inbox_date or now)).total_seconds() / 60
            conversation.write(
                {
                    "state": "claimed",
                    "user_id": user.id,
                    "claim_date": now,
                    "time_to_claim": minutes,
                }
            )

    def action_transfer(self):
        self._check_state(OPEN_STATES, _("Transferring"))
        return self._wizard_action(
            "comms.conversation.transfer", _("Transfer conversation")
        )

    def _wizard_action(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_conversation_ids": self.ids},
        }

    def _transfer_to(self, user):
        self._check_state(OPEN_STATES, _("Transferring"))
        previous = {c: c.user_id for c in self}
        self._claim_for(user)
        for conversation in self:
            conversation.message_post(
                body=_(
                    "Transferred from %(from)s to %(to)s.",
                    **{
                        "from": previous[conversation].name or _("the inbox"),
                        "to": user.name,
                    },
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_close(self):
        self._check_state(OPEN_STATES, _("Closing"))
        self.write({"state": "closed"})
        return True

    def action_ignore(self):
        self._check_state(("new", "acknowledged"), _("Ignoring"))
        return self._wizard_action(
            "comms.conversation.ignore", _("Ignore conversation")
        )

    def _ignore(self, reason):
        self._check_state(("new", "acknowledged"), _("Ignoring"))
        if not (reason or "").strip():
            raise UserError(_("Say why the conversation is ignored."))
        self.write({"state": "ignored", "ignore_reason": reason, "user_id": False})
        for conversation in self:
            conversation.message_post(
                body=_("Ignored: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_return_to_inbox(self):
        self._check_state(("claimed",), _("Returning to the inbox"))
        self._return_to_inbox(_("%(user)s put it back.", user=self.env.user.name))
        return True

    def _return_to_inbox(self, why):
        self.write(
            {"state": "new", "user_id": False, "inbox_date": fields.Datetime.now()}
        )
        for conversation in self:
            conversation.message_post(
                body=_("Returned to the inbox: %(why)s", why=why),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_return_to_inbox(self):
        now = fields.Datetime.now()
        claimed = self.search(
            [("state", "=", "claimed"), ("group_id.return_to_inbox_minutes", ">", 0)]
        )
        for conversation in claimed:
            minutes = conversation.group_id.return_to_inbox_minutes
            replied = (
                conversation.last_reply_date
                and conversation.last_reply_date >= conversation.claim_date
            )
            if not replied and conversation.claim_date <= now - timedelta(
                minutes=minutes
            ):
                conversation._return_to_inbox(
                    _("no reply within %(minutes)s minutes.", minutes=minutes)
                )

    # ------------------------------------------------------------------
    # Incoming messages: customer matching and routing
    # ------------------------------------------------------------------

    def _lock_customer(self, group, key):
        """Serialise the arrival of one customer's messages across transactions.

        Odoo runs each request in REPEATABLE READ: a transaction that had to wait for
        the lock cannot see the partner and conversation its rival just created. It
        fails as a serialization failure instead, which Odoo retries with fresh data.
        """
        lock_key = f"comms.conversation:{group.id}:{key}"
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [lock_key])
        if not cr.fetchone()[0]:
            cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [lock_key])
            cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'comms: concurrent delivery, retry' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )

    @api.model
    def _get_for_customer(self, group, partner):
        conversation = self.search(
            [("group_id", "=", group.id), ("partner_id", "=", partner.id)], limit=1
        )
        return conversation or self.create(
            {"group_id": group.id, "partner_id": partner.id}
        )

    @api.model
    def _find_or_create_partner_by_phone(self, group, number):
        partner = self.env["res.partner"].search(
            [
                ("phone_sanitized", "=", number),
                ("company_id", "in", (False, group.company_id.id)),
            ],
            limit=1,
        )
        return partner or self.env["res.partner"].create(
            {"name": number, "mobile": number}
        )

    @api.model
    def _find_or_create_partner_by_email(self, group, email_from):
        partner = self.env["mail.thread"]._mail_find_partner_from_emails(
            [email_from], force_create=True
        )[0]
        return partner or self.env.ref("comms_shared_inbox.partner_unknown_sender")

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        group = self.env["comms.group"].browse((custom_values or {}).get("group_id"))
        if not group:
            return super().message_new(msg_dict, custom_values)
        email = email_normalize(msg_dict.get("email_from") or "", strict=False)
        self._lock_customer(group, email or "unknown")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner:
            partner = self._find_or_create_partner_by_email(
                group, msg_dict.get("email_from") or ""
            )
        msg_dict["author_id"] = partner.id
        return self._get_for_customer(group, partner)

    # ------------------------------------------------------------------
    # Message log, reopening and auto-replies
    # ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        channel, direction = self._classify_message(message)
        if channel:
            values = dict(self.env.context.get("comms_message_values") or {})
            self.env["comms.message"].sudo()._log(
                self, message, channel, direction, values
            )
            if direction == "in":
                self._on_inbound(channel, message)
            elif not self.env.context.get("comms_autoreply"):
                self.sudo().last_reply_date = fields.Datetime.now()
        return result

    def _classify_message(self, message):
        """(channel, direction) of a posted message, or (None, None) for notes."""
        context = self.env.context
        if message.message_type in ("notification", "user_notification"):
            return None, None
        # Odoo posts SMS with the note subtype, yet they do reach the customer.
        is_sms = message.message_type == "sms"
        if not is_sms and (message.subtype_id.internal or message.is_internal):
            return None, None
        channel = context.get("comms_channel") or ("sms" if is_sms else "email")
        direction = context.get("comms_direction") or (
            "in" if context.get("from_alias") else "out"
        )
        return channel, direction

    def _on_inbound(self, channel, message):
        self.ensure_one()
        values = {"last_channel": channel, "last_message_date": message.date}
        if self.state in ("closed", "ignored"):
            values.update(state="new", user_id=False, inbox_date=fields.Datetime.now())
        self.sudo().write(values)
        self._send_autoreply("received", channel)

    def _send_autoreply(self, kind, channel):
        """Send the group's auto-reply `kind` (received/claimed) on `channel`."""
        self.ensure_one()
        group = self.group_id.sudo()
        if channel not in ("email", "sms") or not group[f"autoreply_{kind}_{channel}"]:
            return
        template = group[f"autoreply_{kind}_{channel}_template_id"]
        if not template or self.env.context.get("comms_auto_submitted"):
            return
        now = fields.Datetime.now()
        period = timedelta(hours=group.autoreply_period_hours)
        if self.last_autoreply_date and self.last_autoreply_date > now - period:
            return
        self.sudo().last_autoreply_date = now
        conversation = self.sudo().with_context(
            comms_autoreply=True,
            comms_channel=False,
            comms_direction=False,
            comms_message_values=False,
            from_alias=False,
        )
        if channel == "email":
            group_email_from = self._group_email_from()
            conversation.message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                **({"email_from": group_email_from} if group_email_from else {}),
            )
        else:
            conversation._message_sms_with_template(
                template=template, partner_ids=self.partner_id.ids
            )

    # ------------------------------------------------------------------
    # Outgoing email: from the group's shared address, threaded
    # ------------------------------------------------------------------

    def _message_compute_author(
        self, author_id=None, email_from=None, raise_on_email=True
    ):
        given_email_from = email_from
        author_id, email_from = super()._message_compute_author(
            author_id, email_from, raise_on_email
        )
        group_email_from = len(self) == 1 and self._group_email_from(author_id)
        if not given_email_from and group_email_from:
            email_from = group_email_from
        return author_id, email_from

    def _group_email_from(self, author_id=False):
        """The group's shared address, named after the person writing, if any."""
        self.ensure_one()
        alias_email = self.group_id.sudo().alias_email
        if not alias_email:
            return False
        author = self.env["res.partner"].browse(author_id)
        name = self.group_id.name
        if author and author != self.env.ref("base.partner_root"):
            name = f"{author.name} ({name})"
        return formataddr((name, alias_email))

    def _notify_get_reply_to(self, default=None):
        aliases = self.sudo().group_id._notify_get_reply_to(default=default)
        return {c.id: aliases.get(c.group_id.id) for c in self}

    def _notify_by_email_get_headers(self, headers=None):
        headers = super()._notify_by_email_get_headers(headers=headers)
        if self.env.context.get("comms_autoreply"):
            headers["Auto-Submitted"] = "auto-replied"
        return headers

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        self._message_add_suggested_recipient(
            recipients, partner=self.partner_id, reason=_("Customer")
        )
        return recipients

    def action_send_sms(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
            },
        }
