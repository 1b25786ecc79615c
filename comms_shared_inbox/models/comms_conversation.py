import ast
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, email_normalize, formataddr

from odoo.addons.bus.models.bus import channel_with_db, json_dump

OPEN_STATES = ("new", "acknowledged", "claimed")
RETURN_BATCH = 500  # conversations the return-to-inbox cron handles per transaction
# A browser announces itself every 30 s while the conversation is open.
PRESENCE_TIMEOUT = timedelta(seconds=65)
CHANNELS = [("email", "Email"), ("sms", "SMS"), ("fax", "Fax")]


class CommsConversation(models.Model):
    """One customer's thread in one group, across email, SMS and fax."""

    _name = "comms.conversation"
    _description = "Shared inbox conversation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "last_inbound_date desc, id desc"
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
        CHANNELS,
        string="Customer's channel",
        readonly=True,
        help="The channel of the customer's last message.",
    )
    last_message_date = fields.Datetime(
        readonly=True, index=True, help="The last message in or out."
    )
    last_inbound_date = fields.Datetime(
        string="Customer wrote",
        readonly=True,
        index=True,
        help="When the customer's last message arrived.",
    )
    waiting_since = fields.Datetime(
        readonly=True,
        index=True,
        help="When the customer's message that nobody answered yet arrived.",
    )
    return_to_inbox_minutes = fields.Integer(related="group_id.return_to_inbox_minutes")
    preview_channel = fields.Selection(
        CHANNELS, readonly=True, help="The channel of the last message."
    )
    preview_direction = fields.Selection(
        [("in", "Received"), ("out", "Sent")], readonly=True
    )
    preview_title = fields.Char(
        readonly=True, help="The last email's subject, or a fax's page count."
    )
    preview_sender = fields.Char(readonly=True)
    preview_text = fields.Char(readonly=True, help="The last message's first line.")
    seen_user_ids = fields.Many2many(
        "res.users",
        "comms_conversation_seen_rel",
        "conversation_id",
        "user_id",
        string="Seen by",
        readonly=True,
        copy=False,
        help="The members who opened the conversation since the customer last wrote.",
    )
    is_unread = fields.Boolean(
        string="Unread", compute="_compute_is_unread", search="_search_is_unread"
    )
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
    last_inbound_email_id = fields.Many2one(
        "mail.message", compute="_compute_last_inbound_email_id"
    )
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

    @api.depends("seen_user_ids")
    @api.depends_context("uid")
    def _compute_is_unread(self):
        for conversation in self:
            conversation.is_unread = self.env.user not in conversation.seen_user_ids

    def _search_is_unread(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Unread."))
        unread = (operator == "=") == value
        return [("seen_user_ids", "not in" if unread else "in", self.env.uid)]

    def _mark_seen(self):
        """The current user has read the conversation up to its last message."""
        unseen = self.filtered("is_unread")
        # sudo: reading is enough to mark as seen; the field is readonly in views
        unseen.sudo().write({"seen_user_ids": [fields.Command.link(self.env.uid)]})

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
                self.env._(
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
                self.env._(
                    "%(user)s is not a member of %(group)s.",
                    user=user.name,
                    group=outsiders[0].group_id.name,
                )
            )

    @api.model
    def _handled_by_user(self, ids):
        """The conversations `ids` that a wizard acts on, refused as a whole when
        one is not the user's to handle: a wizard would otherwise drop the ones the
        user cannot see and report success."""
        conversations_sudo = self.sudo().browse(ids).exists()
        allowed = conversations_sudo.sudo(False)._filtered_access("write")
        outside = conversations_sudo - allowed
        if outside:
            raise AccessError(
                self.env._(
                    "You are not a member of %(group)s: you cannot handle its "
                    "conversation with %(customer)s.",
                    group=outside[0].group_id.name,
                    customer=outside[0].partner_id.display_name,
                )
            )
        return allowed

    def action_acknowledge(self):
        self._check_state(("new",), self.env._("Acknowledging"))
        self.write({"state": "acknowledged"})
        return True

    def action_claim(self):
        self._check_state(("new", "acknowledged"), self.env._("Claiming"))
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
        self._check_state(OPEN_STATES, self.env._("Transferring"))
        return self._wizard_action(
            "comms.conversation.transfer", self.env._("Transfer conversation")
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
        self._check_state(OPEN_STATES, self.env._("Transferring"))
        previous = {c: c.user_id for c in self}
        self._claim_for(user)
        for conversation in self:
            conversation.message_post(
                body=self.env._(
                    "Transferred from %(from)s to %(to)s.",
                    **{
                        "from": previous[conversation].name or self.env._("the inbox"),
                        "to": user.name,
                    },
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_close(self):
        self._check_state(OPEN_STATES, self.env._("Closing"))
        self.write({"state": "closed"})
        return True

    def action_ignore(self):
        self._check_state(("new", "acknowledged"), self.env._("Ignoring"))
        return self._wizard_action(
            "comms.conversation.ignore", self.env._("Ignore conversation")
        )

    def _ignore(self, reason):
        self._check_state(("new", "acknowledged"), self.env._("Ignoring"))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the conversation is ignored."))
        self.write({"state": "ignored", "ignore_reason": reason, "user_id": False})
        for conversation in self:
            conversation.message_post(
                body=self.env._("Ignored: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_reopen(self):
        """Back to the inbox: a closed conversation reopened, an ignored one
        un-ignored."""
        self._check_state(("closed", "ignored"), self.env._("Reopening"))
        self.write(
            {
                "state": "new",
                "user_id": False,
                "ignore_reason": False,
                "inbox_date": fields.Datetime.now(),
            }
        )
        for conversation in self:
            conversation.message_post(
                body=self.env._("Reopened by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_next_conversation(self):
        """Open the conversation to handle next: unread first, then the customer
        waiting longest, among the open ones nobody else claimed."""
        following = self.search(
            [
                ("id", "not in", self.ids),
                ("state", "in", OPEN_STATES),
                ("user_id", "in", (False, self.env.uid)),
            ]
        ).sorted(lambda c: (not c.is_unread, c.waiting_since or fields.Datetime.now()))
        if not following:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("Inbox zero: no other conversation waits."),
                },
            }
        return following[0].get_formview_action()

    def action_open_message_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "comms_shared_inbox.comms_message_action"
        )
        action["display_name"] = self.env._(
            "Message log of %(conversation)s", conversation=self.display_name
        )
        action["domain"] = [("conversation_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_return_to_inbox(self):
        self._check_state(("claimed",), self.env._("Returning to the inbox"))
        self._return_to_inbox(
            self.env._("%(user)s put it back.", user=self.env.user.name)
        )
        return True

    def _return_to_inbox(self, why):
        self.write(
            {"state": "new", "user_id": False, "inbox_date": fields.Datetime.now()}
        )
        body = self.env._("Returned to the inbox: %(why)s", why=why)
        self._message_log_batch(dict.fromkeys(self.ids, body))

    @api.model
    def _cron_return_to_inbox(self):
        """Return unanswered claims, RETURN_BATCH per run: Odoo's cron runner commits
        after each run and starts the next at once while some remain."""
        due = self._due_for_return()
        batch = due[:RETURN_BATCH]
        for group, conversations in batch.grouped("group_id").items():
            minutes = group.return_to_inbox_minutes
            conversations._return_to_inbox(
                self.env._("no reply within %(minutes)s minutes.", minutes=minutes)
            )
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(due) - len(batch)
        )

    @api.model
    def _due_for_return(self):
        """Claims older than their group's limit with no reply since, oldest first."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id
                  FROM comms_conversation c
                  JOIN comms_group g ON g.id = c.group_id
                 WHERE c.state = 'claimed'
                   AND g.return_to_inbox_minutes > 0
                   AND c.claim_date <= %s - g.return_to_inbox_minutes
                                            * interval '1 minute'
                   AND (c.last_reply_date IS NULL OR c.last_reply_date < c.claim_date)
                 ORDER BY c.claim_date, c.id
                """,
                fields.Datetime.now(),
            )
        )
        return self.browse(id_ for (id_,) in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Presence: who else views or answers the conversation now
    # ------------------------------------------------------------------

    def _presence_announce(self, state):
        """Tell the other viewers that the user is `state` (viewing, typing, left)
        here, and return who else is here: their last announcements on the bus."""
        self.ensure_one()
        others = self._presence_others()
        self.env["bus.bus"]._sendone(
            self,
            "comms_shared_inbox.presence",
            {
                "conversation_id": self.id,
                "user_id": self.env.uid,
                "name": self.env.user.name,
                "state": state,
            },
        )
        return others

    def _presence_others(self):
        self.ensure_one()
        channel = json_dump(channel_with_db(self.env.cr.dbname, self))
        # sudo: the bus keeps the recent announcements, the presence store here
        notifications = (
            self.env["bus.bus"]
            .sudo()
            .search_read(
                [
                    ("channel", "=", channel),
                    ("create_date", ">", fields.Datetime.now() - PRESENCE_TIMEOUT),
                ],
                ["message"],
                order="id",
            )
        )
        last_by_user = {}
        for notification in notifications:
            payload = json.loads(notification["message"])["payload"]
            if payload["user_id"] != self.env.uid:
                last_by_user[payload["user_id"]] = payload
        return [p for p in last_by_user.values() if p["state"] != "left"]

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
    def _find_or_create_partner_by_phone(self, group, number, channel="sms"):
        """The customer with this number, or a new one: a number that texts is a
        mobile, a fax machine's is kept as a phone (so no text is offered to it)."""
        partner = self.env["res.partner"].search(
            [
                ("phone_sanitized", "=", number),
                ("company_id", "in", (False, group.company_id.id)),
            ],
            limit=1,
        )
        field = "mobile" if channel == "sms" else "phone"
        return partner or self.env["res.partner"].create(
            {"name": number, field: number}
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

    def _post_and_log(self, channel, direction, log_values=None, **post_values):
        """Post a message that came from, or goes to, the customer on `channel`
        (email, sms, fax) and return its row of the message log. `log_values`
        complete the row (provider_ref, page_count…); `post_values` go to
        message_post. Messages on other channels than email reach the customer on
        that channel only, never by email as well."""
        self.ensure_one()
        message = self.with_context(
            comms_logged=True, comms_not_by_email=channel != "email"
        ).message_post(**post_values)
        return self._log_message(message, channel, direction, log_values)

    def _message_post_after_hook(self, message, msg_values):
        # Posts made by the web client and the mail gateway; _post_and_log logs its own.
        result = super()._message_post_after_hook(message, msg_values)
        if not self.env.context.get("comms_logged"):
            channel, direction = self._classify_message(message)
            if channel:
                self._log_message(message, channel, direction)
        return result

    def _classify_message(self, message):
        """(channel, direction) of a posted message, or (None, None) for notes."""
        if message.message_type in ("notification", "user_notification"):
            return None, None
        # Odoo posts SMS with the note subtype, yet they do reach the customer.
        is_sms = message.message_type == "sms"
        if not is_sms and (message.subtype_id.internal or message.is_internal):
            return None, None
        direction = "in" if self.env.context.get("from_alias") else "out"
        return ("sms" if is_sms else "email"), direction

    def _log_message(self, message, channel, direction, log_values=None):
        self.ensure_one()
        # sudo: the log is written by the system; members only read it
        log = (
            self.env["comms.message"]
            .sudo()
            ._log(self, message, channel, direction, log_values or {})
        )
        # sudo: preview and dates are readonly fields the system keeps
        self.sudo().write(self._preview_values(log))
        if direction == "in":
            self._on_inbound(channel)
        elif not self.env.context.get("comms_autoreply"):
            self._on_reply(log)
        return log

    @api.model
    def _preview_values(self, log):
        """The inbox's preview of the conversation, from its last message."""
        if log.channel == "fax" and log.page_count == 1:
            title = self.env._("Fax · 1 page")
        elif log.channel == "fax" and log.page_count:
            title = self.env._("Fax · %(pages)s pages", pages=log.page_count)
        elif log.channel == "fax":
            title = self.env._("Fax")
        else:
            title = log.subject if log.channel == "email" else False
        lines = [line.strip() for line in (log.summary or "").splitlines()]
        return {
            "preview_channel": log.channel,
            "preview_direction": log.direction,
            "preview_title": title,
            "preview_sender": log.sender if log.direction == "in" else False,
            "preview_text": next((line for line in lines if line), False),
            "last_message_date": log.date,
        }

    def _on_inbound(self, channel):
        self.ensure_one()
        # Arrival time, not the sender's clock (kept on the log row as sent_date).
        now = fields.Datetime.now()
        values = {
            "last_channel": channel,
            "last_inbound_date": now,
            "waiting_since": self.waiting_since or now,
            "seen_user_ids": [fields.Command.clear()],
        }
        if self.state in ("closed", "ignored"):
            values.update(state="new", user_id=False, inbox_date=now)
        self.sudo().write(values)  # sudo: the gateway and webhooks act for nobody
        self._send_autoreply("received", channel)

    def _on_reply(self, log):
        """A member answered: the customer no longer waits, and an unclaimed
        conversation is the replier's."""
        # sudo: readonly fields the system keeps
        self.sudo().write(
            {"last_reply_date": fields.Datetime.now(), "waiting_since": False}
        )
        replier = log.user_id
        if (
            self.state in ("new", "acknowledged")
            and replier
            and replier in self.group_id.user_ids
        ):
            self._claim_for(replier)

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if self.env.context.get("comms_not_by_email"):
            # The customer gets a text or a fax on its channel, not a copy by email.
            recipients = [r for r in recipients if not r["share"]]
        return recipients

    def _send_autoreply(self, event, channel):
        """Send the group's auto-reply to `event` (received/claimed) on `channel`:
        at most once per period, never to machine mail or an address-less contact."""
        self.ensure_one()
        # sudo: the member who claims may not read the group's templates
        autoreply = self.group_id.sudo()._autoreply_for(event, channel)
        if not autoreply or self.env.context.get("comms_auto_submitted"):
            return
        if channel == "email" and not self.partner_id.email_normalized:
            return
        now = fields.Datetime.now()
        period = timedelta(hours=autoreply.group_id.autoreply_period_hours)
        if self.last_autoreply_date and self.last_autoreply_date > now - period:
            return
        # sudo: the gateway or a member posts on the group's behalf
        conversation_sudo = self.sudo().with_context(
            comms_autoreply=True, comms_logged=False, from_alias=False
        )
        conversation_sudo.last_autoreply_date = now
        autoreply._send_to(conversation_sudo)

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
        # Inbound mail keeps its own sender, even none: never shown as the group.
        inbound = self.env.context.get("from_alias")
        group_email_from = (
            len(self) == 1 and not inbound and self._group_email_from(author_id)
        )
        if not given_email_from and group_email_from:
            email_from = group_email_from
        return author_id, email_from

    def _group_email_from(self, author_id=False):
        """The group's shared address, named after the person writing, if any."""
        self.ensure_one()
        # sudo: a member may not read mail.alias, which holds the group's address
        alias_email = self.group_id.sudo().alias_email
        if not alias_email:
            return False
        author = self.env["res.partner"].browse(author_id)
        name = self.group_id.name
        if author and author != self.env.ref("base.partner_root"):
            name = f"{author.name} ({name})"
        return formataddr((name, alias_email))

    @api.depends("message_log_ids")
    def _compute_last_inbound_email_id(self):
        """The customer's last email, the one a reply answers. A field so that it is
        searched once per conversation and transaction: Odoo's chatter asks it again
        for every message it shows (mail.message._to_store's default subject)."""
        # sudo: the log's link to the message, of a conversation the user reads
        logs = self.env["comms.message"].sudo()
        for conversation in self:
            conversation.last_inbound_email_id = logs.search(
                [
                    ("conversation_id", "=", conversation.id),
                    ("channel", "=", "email"),
                    ("direction", "=", "in"),
                    ("mail_message_id", "!=", False),
                ],
                order="date desc, id desc",
                limit=1,
            ).mail_message_id

    def _last_inbound_email(self):
        self.ensure_one()
        return self.sudo().last_inbound_email_id  # sudo: see the compute

    def _message_compute_subject(self):
        # The composers and the notification mail answer in the customer's thread.
        subject = self._last_inbound_email().subject
        if not subject:
            return super()._message_compute_subject()
        # "Re:" is RFC 5322's (§3.6.5) own prefix, the same in every language.
        return subject if subject[:3].lower() == "re:" else f"Re: {subject}"

    def _notify_by_email_get_base_mail_values(self, message, additional_values=None):
        values = super()._notify_by_email_get_base_mail_values(
            message, additional_values=additional_values
        )
        if len(self) != 1:
            return values
        answered = self._last_inbound_email()
        if not answered.message_id or answered == message:
            return values
        # RFC 5322 §3.6.4: the answered message's References, then its Message-Id.
        references = [ref for ref in (values.get("references") or "").split() if ref]
        chain = [answered.message_id, message.message_id]
        values["references"] = " ".join(
            [ref for ref in references if ref not in chain] + chain
        )
        headers = ast.literal_eval(values.get("headers") or "{}")
        headers["In-Reply-To"] = answered.message_id
        values["headers"] = repr(headers)
        return values

    def _notify_get_reply_to(self, default=None):
        # sudo: as above, the reply-to is the group's alias
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
            recipients, partner=self.partner_id, reason=self.env._("Customer")
        )
        return recipients

    def action_send_sms(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
            },
        }
