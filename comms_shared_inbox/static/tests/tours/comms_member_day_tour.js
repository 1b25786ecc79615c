import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("comms_shared_inbox_member_day", {
  url: "/odoo/action-comms_shared_inbox.comms_group_action_dashboard",
  steps: () => [
    {
      content: "The dashboard counts the unread conversations",
      trigger:
        ".o_kanban_record:contains('Day location') button[name='action_open_unread']:contains('2')",
    },
    {
      content: "Open the group's inbox",
      trigger:
        ".o_kanban_record:contains('Day location') button[name='action_open_new']",
      run: "click",
    },
    {
      content: "The email's card previews its subject and sender, bold until read",
      trigger:
        ".o_kanban_record:contains('Boulangerie Dupont'):contains('Farine T65, 40 sacs'):contains('commandes@dupont.example') .fw-bold",
    },
    {
      content: "The text's card previews its first line and how long it waits",
      trigger:
        ".o_kanban_record:contains('Garage Martin'):contains('Où en est ma commande ?') .o_comms_waiting_time.text-danger",
    },
    {
      content: "Open the baker's conversation",
      trigger: ".o_kanban_record:contains('Boulangerie Dupont')",
      run: "click",
    },
    {
      content: "A colleague has it open too",
      trigger:
        ".o_comms_presence:contains('Paul Colleague is viewing this conversation')",
    },
    {
      content: "The chatter is the timeline: the email with its channel and direction",
      trigger:
        ".o-mail-Message:contains('Farine T65') .o_comms_message_channel[data-channel='email'][data-direction='in']",
    },
    {
      content: "Claim it by keyboard",
      trigger: ".o_form_view button[name='action_claim']",
      run: "press alt+k",
    },
    {
      content: "It is now claimed",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Claimed')",
    },
    {
      content: "Reply by email in the thread",
      trigger: ".o-mail-Chatter-sendMessage",
      run: "click",
    },
    {
      trigger: ".o-mail-Composer-input",
      run: "edit Livraison jeudi matin.",
    },
    {
      trigger: ".o-mail-Composer-send:enabled",
      run: "click",
    },
    {
      content: "The reply shows as sent by email",
      trigger:
        ".o-mail-Message:contains('Livraison jeudi matin.') .o_comms_message_channel[data-direction='out']",
    },
    {
      content: "Close it by keyboard",
      trigger: ".o_form_view button[name='action_close']",
      run: "press alt+l",
    },
    {
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Closed')",
    },
    {
      content: "Next conversation by keyboard",
      trigger: ".o_form_view button[name='action_next_conversation']",
      run: "press alt+g",
    },
    {
      content: "The garage's text opens next",
      trigger: ".o_breadcrumb .active:contains('Garage Martin')",
    },
  ],
});
