import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("comms_outgoing_address_add", {
  url: "/odoo/action-comms_shared_inbox.ir_mail_server_action_comms",
  steps: () => [
    {
      content: "Add an address",
      trigger: "button:contains('Add an address')",
      run: "click",
    },
    {
      content: "The address",
      trigger: ".modal div[name='email'] input",
      run: "edit support@tour-brand.example.com",
    },
    {
      content: "Its server",
      trigger: ".modal div[name='smtp_host'] input",
      run: "edit smtp.tour-brand.example.com",
    },
    {
      trigger: ".modal div[name='smtp_port'] input",
      run: "edit 587",
    },
    {
      trigger: ".modal div[name='smtp_encryption'] select",
      run: 'select "none"',
    },
    {
      trigger: ".modal div[name='smtp_user'] input",
      run: "edit support@tour-brand.example.com",
    },
    {
      content: "A wrong password first",
      trigger: ".modal div[name='smtp_pass'] input",
      run: "edit wrong",
    },
    {
      content: "Bind it to the brand's project",
      trigger: ".modal div[name='project_ids'] input",
      run: "edit Tour Brand",
    },
    {
      trigger: ".o-autocomplete--dropdown-item:contains('Tour Brand')",
      run: "click",
    },
    {
      content: "Test and save",
      trigger: ".modal button[name='action_test_and_save']",
      run: "click",
    },
    {
      content: "The server's own words, and nothing saved",
      trigger: ".modal:contains('535 5.7.8')",
    },
    {
      trigger: ".modal:contains('535 5.7.8') .modal-footer button",
      run: "click",
    },
    {
      content: "The right password",
      trigger: ".modal div[name='smtp_pass'] input",
      run: "edit right",
    },
    {
      trigger: ".modal button[name='action_test_and_save']",
      run: "click",
    },
    {
      content: "Saved and working",
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Working')",
    },
  ],
});

registry.category("web_tour.tours").add("comms_outgoing_address_send", {
  steps: () => [
    {
      content: "Write to the customer from the task",
      trigger: "button:contains(Send message)",
      run: "click",
    },
    {
      trigger: "button[aria-label='Full composer']",
      run: "click",
    },
    {
      content: "The project's address is proposed",
      trigger:
        ".modal div[name='comms_address_info']:contains('project\\'s default address')",
    },
    {
      trigger: ".modal div[name='comms_address_id'] input:value('Tour Brand Support')",
    },
    {
      trigger: ".modal .note-editable",
      run: "editor It ships Thursday.",
    },
    {
      trigger: ".modal button.btn-primary:contains('Send')",
      run: "click",
    },
    {
      content: "Sent",
      trigger: ".o-mail-Message-body:contains('It ships Thursday.')",
    },
  ],
});
