import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("comms_shared_inbox_claim", {
  url: "/odoo/action-comms_shared_inbox.comms_group_action_dashboard",
  steps: () => [
    {
      content: "Open the new conversations of the group from the dashboard",
      trigger:
        ".o_kanban_record:contains('Tour location') button[name='action_open_new']",
      run: "click",
    },
    {
      content: "Open the customer's conversation",
      trigger: ".o_kanban_record:contains('Tour Customer')",
      run: "click",
    },
    {
      content: "The text is shown in the chatter with its channel icon",
      trigger:
        ".o-mail-Message:contains('Where is my order?') .o_comms_message_channel .fa-mobile",
    },
    {
      content: "Claim it",
      trigger: ".o_form_view button[name='action_claim']",
      run: "click",
    },
    {
      content: "It is now claimed",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Claimed')",
    },
  ],
});
