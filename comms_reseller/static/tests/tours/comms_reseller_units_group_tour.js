import {registry} from "@web/core/registry";

const MEMBER_ROW = ".o_comms_units_members tr:contains('Member Ltd')";

function moveUnits(mode, units, summary) {
  return [
    {
      content: "Select the member",
      trigger: `${MEMBER_ROW} input[type='checkbox']`,
      run: "click",
    },
    {
      content: "Choose the operation",
      trigger: "select[name='mode']",
      run: `select ${mode}`,
    },
    {
      content: "Enter the units",
      trigger: "input[name='units']",
      run: `edit ${units}`,
    },
    {
      content: "Continue to the confirmation",
      trigger: "form[action$='/transfer'] button.btn-primary",
      run: "click",
    },
    {
      content: "The confirmation repeats the amount and says it is irreversible",
      trigger: `.o_comms_units_summary:contains('${summary}'):contains('cannot be undone')`,
    },
    {
      content: "Confirm",
      trigger: ".o_comms_units_confirm button.btn-warning",
      run: "click",
    },
    {
      content: "The units are transferred",
      trigger: ".o_comms_units_notice:contains('The units are transferred')",
    },
  ];
}

registry.category("web_tour.tours").add("comms_reseller_units_group_owner", {
  url: "/my/units-group",
  steps: () => [
    {
      content: "The owner sees its members",
      trigger: `${MEMBER_ROW}:contains('Active')`,
    },
    {
      content: "Invite an existing client by email",
      trigger: "form[action$='/invite'] input[name='email']",
      run: "edit outsiderltd.0@client.example.com",
    },
    {
      content: "Send the invitation",
      trigger: "form[action$='/invite'] button[type='submit']",
      run: "click",
    },
    {
      content: "The client is invited",
      trigger: ".o_comms_units_notice:contains('is invited')",
    },
    {
      content: "Invite someone who has no account",
      trigger: "form[action$='/invite'] input[name='email']",
      run: "edit zoe@newcomer.example.com",
    },
    {
      content: "Send",
      trigger: "form[action$='/invite'] button[type='submit']",
      run: "click",
    },
    {
      content: "Name the new account",
      trigger:
        ".o_comms_units_confirm:contains('Nobody subscribes') input[name='name']",
      run: "edit Zoe Newcomer",
    },
    {
      content: "The plan is priced in units",
      trigger: ".o_comms_units_confirm select[name='plan_id']:contains('40 units')",
    },
    {
      content: "Create the account paid with units",
      trigger: ".o_comms_units_confirm button.btn-warning",
      run: "click",
    },
    {
      content: "The account is created and joins the group",
      trigger: ".o_comms_units_notice:contains('paid with your units')",
    },
    {
      content: "The new account is listed",
      trigger: ".o_comms_units_members tr:contains('Zoe Newcomer')",
    },
    ...moveUnits("transfer", "10", "10 units will go to each of the 1 selected"),
    {
      content: "The member has 10 units",
      trigger: `${MEMBER_ROW} td:last-child:contains('10')`,
    },
    ...moveUnits("top_up", "25", "brought up to 25 units"),
    {
      content: "The member was brought up to 25 units",
      trigger: `${MEMBER_ROW} td:last-child:contains('25')`,
    },
    {
      content: "No automatic top-up yet",
      trigger: `${MEMBER_ROW} .o_comms_units_auto_top_up:contains('Off')`,
    },
    {
      content: "Keep the member at 20 units",
      trigger: `${MEMBER_ROW} input[name='keep_at_units']`,
      run: "edit 20",
    },
    {
      content: "at most 100 a month",
      trigger: `${MEMBER_ROW} input[name='monthly_top_up_cap']`,
      run: "edit 100",
    },
    {
      content: "Save the member's automatic top-up",
      trigger: `${MEMBER_ROW} .o_comms_units_auto_top_up_save`,
      run: "click",
    },
    {
      content: "The automatic top-up is saved",
      trigger: ".o_comms_units_notice:contains('is saved')",
    },
    {
      content: "The members table shows it",
      trigger: `${MEMBER_ROW} .o_comms_units_auto_top_up:contains('Keeps at 20, up to 100 / month')`,
    },
  ],
});

registry.category("web_tour.tours").add("comms_reseller_units_group_member", {
  url: "/my/units-group",
  steps: () => [
    {
      content: "The member sees the units it received",
      trigger: ".o_comms_units_memberships .o_comms_units_received:contains('25')",
    },
    {
      content: "and nothing of the owner's other members",
      trigger: "body:not(:has(.o_comms_units_members))",
    },
  ],
});
