"""Invoice run of the virtual office: 500 clients with 20 uninvoiced extra costs each
(10,000 costs) invoiced through the list action, one draft invoice per client, next
to creating the same invoices directly with one batched account.move.create (Odoo's
own cheapest path: same partners, same lines, same product and taxes)."""

from benchlib import Measure, environment, parse_args, report

CLIENTS = 500
COSTS_PER_CLIENT = 20
SMALL_CLIENTS = 50
FEW_COSTS_PER_CLIENT = 2


def ensure_accounting(env):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading(
            "generic_coa", company, install_demo=False
        )
    product = company._office_invoice_product()
    if not product.taxes_id and company.account_sale_tax_id:
        product.taxes_id = company.account_sale_tax_id


def make_costs(env, clients, tag, per_client=COSTS_PER_CLIENT):
    partners = env["res.partner"].create(
        [
            {"name": f"Bench {tag} client {n}", "email": f"c{n}@{tag}.example.com"}
            for n in range(clients)
        ]
    )
    items = env["comms.mail.item"].create(
        [
            {"partner_id": partner.id, "sender_name": "Bench sender"}
            for partner in partners
        ]
    )
    costs = env["comms.mail.item.cost"].create(
        [
            {"mail_item_id": item.id, "name": f"Handling {n}", "amount": 1.0 + n % 7}
            for item in items
            for n in range(per_client)
        ]
    )
    env.flush_all()
    env.invalidate_all()
    return costs


def baseline_vals(costs):
    """The same invoices, prepared outside the measured block, without the link
    of each line to its cost."""
    company = costs.company_id
    vals_list = [
        group._prepare_invoice_vals(partner, company)
        for partner, group in costs.grouped("commercial_partner_id").items()
    ]
    for vals in vals_list:
        for _command, _id, line_vals in vals["invoice_line_ids"]:
            del line_vals["office_cost_ids"]
    return vals_list


def invoice_run(env, costs):
    """(action Measure, baseline Measure, invoice count) for these costs."""
    vals_list = baseline_vals(costs)
    env.invalidate_all()
    with Measure(env.cr) as action:
        costs.action_create_invoices()
    moves = costs.invoice_id
    assert len(moves) == len(vals_list) and all(costs.mapped("invoiced"))
    env.invalidate_all()
    with Measure(env.cr) as baseline:
        direct = env["account.move"].create(vals_list)
    assert len(direct.invoice_line_ids) == len(moves.invoice_line_ids) == len(costs)
    return action, baseline, len(moves)


def main():
    args = parse_args()
    with environment(args.database) as env:
        ensure_accounting(env)
        # The same number of clients with ten times fewer lines: the queries of
        # the action barely move, they grow with the clients.
        few, few_baseline, _count = invoice_run(
            env, make_costs(env, SMALL_CLIENTS, "f", FEW_COSTS_PER_CLIENT)
        )
        small, small_baseline, _count = invoice_run(
            env, make_costs(env, SMALL_CLIENTS, "s")
        )
        costs = make_costs(env, CLIENTS, "l")
        action, baseline, invoices = invoice_run(env, costs)
        report(
            "office_invoice_run",
            clients=CLIENTS,
            costs=len(costs),
            invoices=invoices,
            seconds=round(action.seconds, 2),
            baseline_seconds=round(baseline.seconds, 2),
            ratio=round(action.seconds / baseline.seconds, 2),
            queries=action.queries,
            baseline_queries=baseline.queries,
            queries_at_50_clients=small.queries,
            baseline_queries_at_50_clients=small_baseline.queries,
            queries_at_50_clients_2_costs_each=few.queries,
            baseline_queries_at_50_clients_2_costs_each=few_baseline.queries,
        )


if __name__ == "__main__":
    main()
