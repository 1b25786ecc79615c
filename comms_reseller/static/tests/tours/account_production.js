import {waitUntil} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";

/**
 * The reseller moves an account from its free trial to production: Production
 * makes the quotation of its plan lines, which the reseller sends to the client.
 */
registry.category("web_tour.tours").add("comms_reseller_account_production", {
  steps: () => [
    {
      content: "The account is in its free trial",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Free Trial)",
    },
    {
      content: "Move it to production: its quotation opens",
      trigger: "button[name=action_production]",
      run: "click",
    },
    {
      content: "The quotation has the account's plan",
      trigger: ".o_field_widget[name=order_line] td:contains(Plan 30)",
    },
    {
      content: "Send it to the client",
      trigger: "button[name=action_quotation_send]",
      run: "click",
    },
    {
      content: "Send the email",
      trigger: ".modal .o_mail_send",
      run: "click",
    },
    {
      content: "The quotation is sent",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Quotation Sent)",
    },
  ],
});

/**
 * The client signs the quotation on the portal.
 */
registry.category("web_tour.tours").add("comms_reseller_accept_quotation", {
  steps: () => [
    {
      content: "Sign the quotation",
      trigger: "a:contains(Sign)",
      run: "click",
    },
    {
      trigger: ".modal canvas.o_web_sign_signature",
      async run(helpers) {
        await waitUntil(() => {
          const canvas = helpers.anchor;
          const context = canvas.getContext("2d");
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          return new Uint32Array(image.data.buffer).some((pixel) => pixel !== 0);
        });
      },
    },
    {
      content: "Accept and sign",
      trigger: ".modal .o_portal_sign_submit:enabled",
      run: "click",
      expectUnloadPage: true,
    },
    {
      content: "The order is confirmed",
      trigger: "#quote_content:contains(Thank You)",
    },
  ],
});
