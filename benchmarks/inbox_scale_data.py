"""A distributor's inbox at scale for bench_inbox_views_at_scale: 40 locations, 200
members, one customer per conversation, ten logged messages per conversation over three
years (texts, emails and faxes whose documents were purged), and the same number of
project tasks and chatter messages as Odoo's own equivalent.

The people and places are made with the ORM; the bulk rows with set-based SQL, which is
what makes a million messages take minutes instead of hours.
"""

GROUPS = 40
MEMBERS = 200
MESSAGES_PER_CONVERSATION = 10
LONG_THREAD = 200  # messages of the conversation (and task) the benchmark opens
# Where conversation (and task) n goes: by hundreds, so that location and state
# (n % 100) are independent.
LOCATION = "{n} / 100 %% 40"
# The customer whose conversation and task the benchmark opens: writes to location 0
# (as many members' first location) and four more.
LANDMARK = GROUPS
YEARS = 3
# state of conversation n: n % 100 below each bound (5,000 claimed per 100,000)
STATES = (("new", 4), ("acknowledged", 6), ("claimed", 11), ("ignored", 13))


def scaffold(env):
    """Members, groups (each member in 3) and projects (each member follows 3)."""
    comms_user = env.ref("comms_shared_inbox.group_comms_user")
    project_user = env.ref("project.group_project_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nosubscribe=True)
        .create(
            [
                {
                    "name": f"Member {n:03d}",
                    "login": f"member{n:03d}",
                    "email": f"member{n:03d}@distributor.example.com",
                    "groups_id": [(6, 0, (comms_user | project_user).ids)],
                }
                for n in range(MEMBERS)
            ]
        )
    )
    users[0].password = users[0].login  # the member who signs in (hashing is slow)
    env["comms.group"].create(
        [
            {
                "name": f"Location {n:02d}",
                "alias_name": f"location-{n:02d}",
                "return_to_inbox_minutes": 60,
                "user_ids": [
                    (6, 0, [u.id for i, u in enumerate(users) if n in _three(i)])
                ],
            }
            for n in range(GROUPS)
        ]
    )
    projects = env["project.project"].create(
        [
            {
                "name": f"Location {n:02d} orders",
                "privacy_visibility": "followers",
                "alias_name": f"orders-{n:02d}",
            }
            for n in range(GROUPS)
        ]
    )
    for n, project in enumerate(projects):
        members = users.filtered(lambda u, n=n: n in _three(users.ids.index(u.id)))
        project.message_subscribe(partner_ids=members.partner_id.ids)
    env["project.task.type"].create(
        [
            {"name": name, "sequence": seq, "project_ids": [(6, 0, projects.ids)]}
            for seq, name in enumerate(("New", "In progress", "Done"))
        ]
    )
    env.flush_all()
    return users


def _three(member_index):
    """The three groups (and projects) of a member."""
    return {
        member_index % GROUPS,
        (member_index + 13) % GROUPS,
        (member_index + 27) % GROUPS,
    }


def fill(env, first, last):
    """Conversations and tasks first..last (1-based), with their customers and messages.
    The LANDMARK customer's first conversation and task get LONG_THREAD messages."""
    cr = env.cr
    params = {
        "first": first,
        "last": last,
        "groups": GROUPS,
        "per": MESSAGES_PER_CONVERSATION,
        "minutes": YEARS * 365 * 24 * 60,
        "company": env.company.id,
        "root": env.uid,
        "comment": env.ref("mail.mt_comment").id,
        "landmark": LANDMARK,
    }
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, email_normalized, mobile,
                                 phone_sanitized, lang, type, active, is_company, color,
                                 company_id, create_uid, write_uid, create_date,
                                 write_date, ref)
        SELECT 'Customer ' || n, 'Customer ' || n,
               'buyer' || n || '@client' || (n %% 997) || '.example.com',
               'buyer' || n || '@client' || (n %% 997) || '.example.com',
               '+3361' || lpad(n::text, 7, '0'), '+3361' || lpad(n::text, 7, '0'),
               'en_US', 'contact', true, false, 0, NULL, %(root)s, %(root)s,
               now(), now(), 'scale-' || n
          FROM generate_series(%(first)s, %(last)s) n;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE commercial_partner_id IS NULL AND ref LIKE 'scale-%%';
        """,
        params,
    )
    cr.execute(
        """
        CREATE TEMP TABLE scale_groups ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM comms_group;
        CREATE TEMP TABLE scale_projects ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM project_project
         WHERE alias_id IN (SELECT id FROM mail_alias
                             WHERE alias_name LIKE 'orders-%%');
        CREATE TEMP TABLE scale_members ON COMMIT DROP AS
        SELECT g.id AS group_id, array_agg(r.user_id ORDER BY r.user_id) AS users
          FROM comms_group g JOIN comms_group_member_rel r ON r.group_id = g.id
         GROUP BY g.id;
        CREATE TEMP TABLE scale_partners ON COMMIT DROP AS
        SELECT substr(ref, 7)::int AS n, id FROM res_partner
         WHERE ref LIKE 'scale-%%'
           AND substr(ref, 7)::int BETWEEN %(first)s AND %(last)s;
        CREATE INDEX ON scale_partners (n);
        """,
        params,
    )
    _conversations(cr, params)
    _tasks(cr, params)
    _messages(cr, params)


def _conversations(cr, params):
    state = "CASE " + " ".join(
        f"WHEN c.n %% 100 < {bound} THEN '{name}'" for name, bound in STATES
    )
    cr.execute(
        f"""
        INSERT INTO comms_conversation (group_id, company_id, partner_id, name, state,
                                        user_id, last_channel, last_message_date,
                                        inbox_date, claim_date, time_to_claim,
                                        create_uid, write_uid, create_date, write_date)
        SELECT g.id, %(company)s, p.id, 'Customer ' || c.n, s.state,
               CASE WHEN s.state = 'claimed' OR s.state = 'closed'
                    THEN m.users[1 + c.n %% array_length(m.users, 1)] END,
               (ARRAY['email', 'sms', 'fax'])[1 + c.n %% 3],
               c.last, c.last - interval '1 day',
               CASE WHEN s.state IN ('claimed', 'closed')
                    THEN c.last - interval '1 day' + (c.n %% 240) * interval '1 minute'
               END,
               CASE WHEN s.state IN ('claimed', 'closed') THEN (c.n %% 240) END,
               %(root)s, %(root)s, c.last - interval '1 day', c.last
          FROM (SELECT n,
                       now() - (n * 7919 %% %(minutes)s) * interval '1 minute' AS last
                  FROM generate_series(%(first)s, %(last)s) n) c
          JOIN scale_partners p ON p.n = c.n
          JOIN scale_groups g ON g.n = {LOCATION.format(n="c.n")}
          JOIN scale_members m ON m.group_id = g.id
          CROSS JOIN LATERAL (SELECT {state} ELSE 'closed' END AS state) s;
        """,
        params,
    )
    if params["first"] <= LANDMARK <= params["last"]:  # four more locations
        cr.execute(
            """
            INSERT INTO comms_conversation (group_id, company_id, partner_id, name,
                                            state, last_channel, last_message_date,
                                            inbox_date, create_uid, write_uid,
                                            create_date, write_date)
            SELECT g.id, %(company)s, p.id, 'Customer ' || p.n, 'closed', 'email',
                   now() - g.n * interval '1 day', now() - g.n * interval '1 day',
                   %(root)s, %(root)s, now(), now()
              FROM scale_groups g, scale_partners p
             WHERE p.n = %(landmark)s AND g.n IN (3, 13, 27, 33)
            """,
            params,
        )


def _tasks(cr, params):
    cr.execute(
        f"""
        INSERT INTO project_task (name, project_id, stage_id, partner_id, company_id,
                                  state, priority, sequence, active, display_in_project,
                                  create_uid, write_uid, create_date, write_date,
                                  date_last_stage_update)
        SELECT 'Order ' || c.n, pr.id,
               (SELECT id FROM project_task_type ORDER BY sequence, id
                 LIMIT 1 OFFSET (c.n %% 3)),
               p.id, %(company)s,
               CASE WHEN c.n %% 100 < 11 THEN '01_in_progress' ELSE '1_done' END,
               '0', 10, true, true, %(root)s, %(root)s, c.last, c.last, c.last
          FROM (SELECT n,
                       now() - (n * 7919 %% %(minutes)s) * interval '1 minute' AS last
                  FROM generate_series(%(first)s, %(last)s) n) c
          JOIN scale_partners p ON p.n = c.n
          JOIN scale_projects pr ON pr.n = {LOCATION.format(n="c.n")};
        INSERT INTO project_task_user_rel (task_id, user_id)
        SELECT t.id, m.users[1 + t.id %% array_length(m.users, 1)]
          FROM project_task t
          JOIN scale_partners p ON p.id = t.partner_id
          JOIN scale_groups g ON g.n = {LOCATION.format(n="p.n")}
          JOIN scale_members m ON m.group_id = g.id
         WHERE t.state = '01_in_progress' AND p.n %% 100 >= 4;  -- 4 %% unassigned: new
        """,
        params,
    )


def _messages(cr, params):
    """MESSAGES_PER_CONVERSATION chatter messages per conversation with their log rows,
    and as many per task; the first conversation and task get LONG_THREAD."""
    for model in ("comms.conversation", "project.task"):
        table = model.replace(".", "_")
        where = (
            "r.name LIKE 'Customer %%'"
            if model == "comms.conversation"
            else "r.name LIKE 'Order %%'"
        )
        cr.execute(
            f"""
            CREATE TEMP TABLE scale_messages ON COMMIT DROP AS
            SELECT r.id AS res_id, r.partner_id, k,
                   r.write_date - (k * 97 %% 1440) * interval '1 minute'
                                - k * interval '1 day' AS date,
                   k %% 2 = 0 AS inbound
              FROM {table} r
              JOIN scale_partners p ON p.id = r.partner_id
             CROSS JOIN LATERAL generate_series(
                   1, CASE WHEN p.n = %(landmark)s AND r.id = (
                               SELECT min(id) FROM {table} WHERE partner_id = p.id)
                           THEN {LONG_THREAD} ELSE %(per)s END) k
             WHERE {where};
            """,
            params,
        )
        cr.execute(
            f"""
            CREATE TEMP TABLE scale_mail ON COMMIT DROP AS
            WITH inserted AS (
                INSERT INTO mail_message (model, res_id, message_type, subtype_id, body,
                                          subject, author_id, email_from, date,
                                          message_id, record_company_id, is_internal,
                                          create_uid, write_uid, create_date,
                                          write_date)
                SELECT '{model}', m.res_id,
                       CASE WHEN m.inbound THEN 'email' ELSE 'comment' END,
                       %(comment)s,
                       '<p>Hello, about order ' || m.res_id || ': please deliver '
                       || m.k || ' pallets on Thursday morning. Thank you.</p>',
                       'Order ' || m.res_id || ' delivery',
                       CASE WHEN m.inbound THEN m.partner_id END,
                       'buyer@client.example.com', m.date,
                       '<scale-' || '{table}-' || m.res_id || '-' || m.k
                       || '@client.example.com>',
                       %(company)s, false, %(root)s, %(root)s, m.date, m.date
                  FROM scale_messages m
                RETURNING id, res_id, date, message_type
            )
            SELECT * FROM inserted;
            DROP TABLE scale_messages;
            """,
            params,
        )
        if model == "comms.conversation":
            cr.execute(
                """
                INSERT INTO comms_message (conversation_id, group_id, company_id,
                                           partner_id, channel, direction, date,
                                           subject, sender, summary, page_count,
                                           mail_message_id, create_uid, write_uid,
                                           create_date, write_date)
                SELECT c.id, c.group_id, c.company_id, c.partner_id,
                       (ARRAY['email', 'sms', 'email', 'sms', 'fax'])[1 + mm.id %% 5],
                       CASE WHEN mm.message_type = 'email' THEN 'in' ELSE 'out' END,
                       mm.date, 'Order ' || c.id || ' delivery',
                       'buyer@client.example.com', 'Please deliver on Thursday',
                       CASE WHEN mm.id %% 5 = 4 THEN 1 + mm.id %% 12 END,
                       mm.id, %(root)s, %(root)s, mm.date, mm.date
                  FROM scale_mail mm
                  JOIN comms_conversation c ON c.id = mm.res_id
                """,
                params,
            )
        cr.execute("DROP TABLE scale_mail")
