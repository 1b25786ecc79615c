import {attachPurchaseOrderSteps} from "@comms_fax/../tests/tours/fax_tour_steps";
import {registry} from "@web/core/registry";

/**
 * The reseller affiliates an account whose extensions clash with its
 * organization's and accepts the proposed extensions.
 */
registry.category("web_tour.tours").add("comms_reseller_affiliate_with_clash", {
  steps: () => [
    {
      content: "Affiliate the account to an organization",
      trigger: "button[name=action_affiliate]",
      run: "click",
    },
    {
      content: "Choose the organization",
      trigger: ".modal .o_field_widget[name=organization_id] input",
      run: "edit Lima Clinics",
    },
    {
      trigger: ".o-autocomplete--dropdown-item:contains(Lima Clinics)",
      run: "click",
    },
    {
      content: "The clashing users get free extensions of the users range",
      trigger:
        ".modal .o_field_widget[name=line_ids] tr:contains(Lima North user 0):contains(103)",
    },
    {
      trigger:
        ".modal .o_field_widget[name=line_ids] tr:contains(Lima North user 1):contains(104)",
    },
    {
      content: "Accept the proposals",
      trigger: ".modal button[name=action_continue]",
      run: "click",
    },
    {
      content: "The account is affiliated",
      trigger: "button[name=action_unaffiliate]",
    },
  ],
});

/**
 * A member of the account's group answers a fax from a blocked country: the
 * fax is refused with the rule's name before anything is sent.
 */
registry.category("web_tour.tours").add("comms_reseller_fax_to_blocked_country", {
  steps: () => [
    {
      content: "Answer the fax with a fax",
      trigger: "button[name='action_send_fax']",
      run: "click",
    },
    {
      content: "The sender's Cuban number is filled in",
      trigger:
        ".modal .o_field_widget[name='recipient_number'] input:value('+5378612345')",
    },
    ...attachPurchaseOrderSteps(),
    {
      content: "Send",
      trigger: ".modal button[name='action_send']",
      run: "click",
    },
    {
      content: "Refused with the rule's name",
      trigger: ".modal:contains(may not call this destination):contains(Block Cuba)",
    },
  ],
});
