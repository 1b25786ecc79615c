/** Steps attaching purchase_order.pdf in the open Send Fax dialog, until it is uploaded. */
export function attachPurchaseOrderSteps() {
  return [
    {
      content: "Attach the PDF",
      trigger: ".modal .o_field_many2many_binary button.o_attach",
      async run() {
        const response = await fetch(
          "/comms_fax/static/tests/tours/purchase_order.pdf"
        );
        const file = new File([await response.blob()], "purchase_order.pdf", {
          type: "application/pdf",
        });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const input = this.anchor
          .closest(".o_file_input")
          .querySelector("input[type='file']");
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      },
    },
    {
      content: "The PDF is uploaded",
      trigger: ".modal .o_attachment:contains('purchase_order')",
    },
  ];
}
