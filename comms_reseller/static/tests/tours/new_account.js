import {registry} from "@web/core/registry";

/**
 * The reseller starts a new account with the wizard, fills in the client step and
 * sends the rest to the client.
 */
registry.category("web_tour.tours").add("comms_reseller_new_account", {
  url: "/odoo/action-comms_reseller.comms_account_request_action",
  steps: () => [
    {
      content: "Start a new account",
      trigger: ".o_list_button_add",
      run: "click",
    },
    {
      content: "The client's name",
      trigger: ".o_field_widget[name=client_name] input",
      run: "edit Tango Dental",
    },
    {
      content: "The client's email, the administrator's login",
      trigger: ".o_field_widget[name=email] input",
      run: "edit tango@tango.example.com",
    },
    {
      content: "Go on to the plan",
      trigger: "button[name=action_next]",
      run: "click",
    },
    {
      content: "The plan step is shown",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Plan)",
    },
    {
      content: "Let the client finish the account on the portal",
      trigger: "button[name=action_send_to_client]",
      run: "click",
    },
    {
      content: "The request waits for the client",
      trigger: ".o_field_widget[name=state]:contains(Sent to Client)",
    },
  ],
});
