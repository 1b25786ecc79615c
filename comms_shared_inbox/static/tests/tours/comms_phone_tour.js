import {registry} from "@web/core/registry";

function assertNoSidewaysScroll() {
  const {scrollWidth} = document.documentElement;
  if (scrollWidth > window.innerWidth) {
    throw new Error(
      `The page scrolls sideways: ${scrollWidth}px > ${window.innerWidth}px`
    );
  }
}

registry.category("web_tour.tours").add("comms_shared_inbox_phone", {
  url: "/odoo/action-comms_shared_inbox.comms_conversation_action",
  steps: () => [
    {
      content: "The inbox is one column of cards with their previews",
      trigger:
        ".o_kanban_record:contains('Phone Customer'):contains('Ma commande arrive quand ?')",
      run: assertNoSidewaysScroll,
    },
    {
      content: "Open the conversation",
      trigger: ".o_kanban_record:contains('Phone Customer')",
      run: "click",
    },
    {
      content: "The conversation fits the screen",
      trigger: ".o-mail-Message:contains('Ma commande arrive quand ?')",
      run: assertNoSidewaysScroll,
    },
    {
      content: "The header's actions are in the menu",
      trigger: ".o_cp_action_menus button.dropdown-toggle",
      run: "click",
    },
    {
      content: "Reply by SMS",
      trigger:
        ".o-dropdown--menu :contains('Reply by SMS'):not(:has(*:contains('Reply by SMS')))",
      run: "click",
    },
    {
      trigger: ".modal .o_field_widget[name='body'] textarea",
      run: "edit Demain matin.",
    },
    {
      content: "The text composer fits the screen",
      trigger: ".modal button[name='action_send_sms']",
      run() {
        assertNoSidewaysScroll();
        this.anchor.click();
      },
    },
    {
      content: "The text is in the conversation",
      trigger:
        ".o-mail-Message:contains('Demain matin.') .o_comms_message_channel[data-channel='sms']",
      run: assertNoSidewaysScroll,
    },
  ],
});
