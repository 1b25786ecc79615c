import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {formatDateTime} from "@web/core/l10n/dates";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

// Groups without a return-to-inbox limit are coloured against one hour.
const DEFAULT_LIMIT_MINUTES = 60;

export class CommsWaitingTimeField extends Component {
  static template = "comms_shared_inbox.WaitingTimeField";
  static props = {...standardFieldProps};

  get since() {
    return this.props.record.data[this.props.name];
  }

  get minutes() {
    return Math.max(0, Math.floor(luxon.DateTime.now().diff(this.since).as("minutes")));
  }

  get label() {
    const minutes = this.minutes;
    if (minutes < 60) {
      return _t("%s min", minutes);
    }
    if (minutes < 60 * 24) {
      return _t("%s h", Math.floor(minutes / 60));
    }
    return _t("%s d", Math.floor(minutes / (60 * 24)));
  }

  get colorClass() {
    const limit =
      this.props.record.data.return_to_inbox_minutes || DEFAULT_LIMIT_MINUTES;
    const ratio = this.minutes / limit;
    if (ratio >= 1) {
      return "text-danger fw-bold";
    }
    return ratio >= 0.5 ? "text-warning" : "text-success";
  }

  get title() {
    return _t("Waiting since %s", formatDateTime(this.since));
  }
}

registry.category("fields").add("comms_waiting_time", {
  component: CommsWaitingTimeField,
  displayName: _t("Waiting time"),
  supportedTypes: ["datetime"],
  fieldDependencies: [{name: "return_to_inbox_minutes", type: "integer"}],
});
