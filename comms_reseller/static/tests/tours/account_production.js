import {registry} from "@web/core/registry";

/**
 * The reseller moves an account from its free trial to production from the
 * account's form.
 */
registry.category("web_tour.tours").add("comms_reseller_account_production", {
  steps: () => [
    {
      content: "The account is in its free trial",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Free Trial)",
    },
    {
      content: "Move it to production",
      trigger: "button[name=action_production]",
      run: "click",
    },
    // What "production" does may change (a quotation to sign): only the steps
    // from here on would change.
    {
      content: "The account is in production",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains(Production)",
    },
  ],
});
