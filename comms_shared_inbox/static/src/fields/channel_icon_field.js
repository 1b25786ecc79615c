import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

export const CHANNEL_ICONS = {email: "fa-envelope", sms: "fa-mobile", fax: "fa-fax"};

export class CommsChannelIconField extends Component {
  static template = "comms_shared_inbox.ChannelIconField";
  static props = {...standardFieldProps};

  get channel() {
    return this.props.record.data[this.props.name];
  }

  get iconClass() {
    return CHANNEL_ICONS[this.channel] || "";
  }

  get label() {
    const selection = this.props.record.fields[this.props.name].selection;
    const option = selection.find(([value]) => value === this.channel);
    return option ? option[1] : "";
  }
}

registry.category("fields").add("comms_channel_icon", {
  component: CommsChannelIconField,
  displayName: _t("Channel icon"),
  supportedTypes: ["selection"],
});
