import {attachPurchaseOrderSteps} from "@comms_fax/../tests/tours/fax_tour_steps";
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("comms_fax_send_from_conversation", {
  steps: () => [
    {
      content: "Send a fax from the customer's conversation",
      trigger: "button[name='action_send_fax']",
      run: "click",
    },
    {
      content: "The customer's fax number is already filled in",
      trigger:
        ".modal .o_field_widget[name='recipient_number'] input:value('+33612345678')",
    },
    {
      content: "Give the cover page a subject",
      trigger: ".modal .o_field_widget[name='cover_subject'] input",
      run: "edit Your purchase order",
    },
    ...attachPurchaseOrderSteps(),
    {
      content: "Send",
      trigger: ".modal button[name='action_send']",
      run: "click",
    },
    {
      content: "The fax is queued, for the cron to hand it to the provider",
      trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Queued')",
    },
  ],
});
