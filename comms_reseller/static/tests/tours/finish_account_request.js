import {registry} from "@web/core/registry";

/**
 * The client, not logged in, follows the emailed link and finishes the account:
 * its plan, and a free trial to begin with.
 */
registry.category("web_tour.tours").add("comms_reseller_finish_account_request", {
  steps: () => [
    {
      content: "The client step was done by the reseller",
      trigger: ".o_comms_account_request_form:not(:has(input[name=client_name]))",
    },
    {
      content: "Choose the plan",
      trigger: "select[name=plan_id]",
      run: "selectByLabel Plan 30",
    },
    {
      content: "Start with the free trial",
      trigger: "input[name=billing_status][value=trial]",
      run: "click",
    },
    {
      content: "Create the account",
      trigger: "button[type=submit]:contains(Create my account)",
      run: "click",
    },
    {
      content: "The account is created",
      trigger: ".o_comms_account_request_done",
    },
  ],
});
