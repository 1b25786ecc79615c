import {Component, onWillDestroy, useEffect, useState} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {useService} from "@web/core/utils/hooks";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

const HEARTBEAT_MS = 30000;
const VIEWING_TTL_MS = 65000;
const TYPING_TTL_MS = 8000;
const TYPING_THROTTLE_MS = 4000;

/**
 * Who else has this conversation open, or is writing in it, now: announced over
 * Odoo's bus so that two members do not answer the same customer.
 */
export class CommsPresence extends Component {
  static template = "comms_shared_inbox.Presence";
  static props = {...standardWidgetProps};

  setup() {
    this.busService = useService("bus_service");
    this.state = useState({others: {}});
    this.onNotification = this.onNotification.bind(this);
    this.onInput = this.onInput.bind(this);
    this.lastTypingAnnounce = 0;
    this.busService.subscribe("comms_shared_inbox.presence", this.onNotification);
    useEffect(
      (resId) => {
        if (!resId) {
          return;
        }
        return this.join(resId);
      },
      () => [this.props.record.resId]
    );
    onWillDestroy(() =>
      this.busService.unsubscribe("comms_shared_inbox.presence", this.onNotification)
    );
  }

  join(resId) {
    const channel = `comms_presence:${resId}`;
    this.state.others = {};
    this.busService.addChannel(channel);
    this.announce(resId, "viewing");
    const heartbeat = browser.setInterval(() => {
      this.announce(resId, "viewing");
      this.forgetStale();
    }, HEARTBEAT_MS);
    document.addEventListener("input", this.onInput, true);
    return () => {
      document.removeEventListener("input", this.onInput, true);
      browser.clearInterval(heartbeat);
      this.busService.deleteChannel(channel);
      this.announce(resId, "left");
    };
  }

  async announce(resId, state) {
    const others = await rpc(
      "/comms_shared_inbox/presence",
      {conversation_id: resId, state},
      {silent: true}
    );
    if (state !== "left" && resId === this.props.record.resId) {
      for (const other of others) {
        this.remember(other);
      }
    }
  }

  remember(payload) {
    if (payload.state === "left") {
      delete this.state.others[payload.user_id];
      return;
    }
    this.state.others[payload.user_id] = {...payload, at: Date.now()};
    if (payload.state === "typing") {
      browser.setTimeout(() => this.forgetStale(), TYPING_TTL_MS + 100);
    }
  }

  forgetStale() {
    const now = Date.now();
    for (const [userId, other] of Object.entries(this.state.others)) {
      if (now - other.at > VIEWING_TTL_MS) {
        delete this.state.others[userId];
      } else if (other.state === "typing" && now - other.at > TYPING_TTL_MS) {
        this.state.others[userId] = {...other, state: "viewing"};
      }
    }
  }

  onNotification(payload) {
    const {resId} = this.props.record;
    if (payload.conversation_id !== resId || payload.user_id === user.userId) {
      return;
    }
    const isNewcomer = !(payload.user_id in this.state.others);
    this.remember(payload);
    if (isNewcomer && payload.state === "viewing") {
      // Greet a newcomer so that it sees us too, without waiting a heartbeat.
      this.announce(resId, "viewing");
    }
  }

  onInput(ev) {
    if (!ev.target.closest?.(".o-mail-Composer-input, .o-mail-Composer")) {
      return;
    }
    const now = Date.now();
    if (now - this.lastTypingAnnounce > TYPING_THROTTLE_MS) {
      this.lastTypingAnnounce = now;
      this.announce(this.props.record.resId, "typing");
    }
  }

  get lines() {
    return Object.values(this.state.others).map((other) => ({
      key: other.user_id,
      typing: other.state === "typing",
      text:
        other.state === "typing"
          ? _t("%s is writing a reply…", other.name)
          : _t("%s is viewing this conversation", other.name),
    }));
  }
}

registry.category("view_widgets").add("comms_presence", {
  component: CommsPresence,
});
