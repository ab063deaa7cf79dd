"""The first half of the bulk SQL of benchmarks/scale.py: communes, neighbourhoods,
communities, users and officials, memberships, referents, residences, preferences, and the
moderation log of approvals. See build_sql() in scale_build.py."""

# ruff: noqa: S608 -- the SQL is built from this file's constants, never from input
from scale_common import FIRST_NAMES, LAST_NAMES, QUARTIERS, STREETS, sql_array


def people_sql(p: dict) -> list[tuple[str, str]]:
    """The statements up to the moderation log of approvals, in order (psycopg2 %(name)s style)."""
    first = sql_array(FIRST_NAMES)
    last = sql_array(LAST_NAMES)
    streets = sql_array(STREETS)
    quartiers = sql_array(QUARTIERS)
    return [
        (
            "hash function",
            """
            CREATE OR REPLACE FUNCTION pg_temp.h(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
            $$ SELECT ('x' || substr(md5(x::text), 1, 15))::bit(60)::bigint $$
            """,
        ),
        (
            "communes (real, chosen)",
            """
            CREATE TEMP TABLE sc_commune AS
            SELECT row_number() OVER (ORDER BY rank, md5(insee_code)) - 1 AS idx, id, insee_code,
                   insee_code = %(nantes)s AS is_nantes, insee_code = %(typical)s AS is_typical
            FROM (
                SELECT id, insee_code, CASE insee_code WHEN %(nantes)s THEN 0 WHEN %(typical)s THEN 1 ELSE 2 END AS rank
                FROM neighbourhoods_commune
            ) c ORDER BY rank, md5(insee_code) LIMIT %(communes)s
            """,
        ),
        (
            "neighbourhoods",
            f"""
            INSERT INTO neighbourhoods_neighbourhood (id, commune_id, name, description)
            SELECT row_number() OVER (ORDER BY c.idx, g), c.id,
                   CASE WHEN c.is_nantes OR g > 0 OR c.is_typical
                        THEN ({quartiers})[1 + (g + c.idx) %% 20] || CASE WHEN g >= 20 THEN ' ' || (g / 20 + 1) ELSE '' END
                        ELSE 'Le Bourg' END,
                   'Quartier ' || g
            FROM sc_commune c,
                 generate_series(0, CASE WHEN c.is_nantes THEN greatest(1, %(nantes_communities)s / 10) - 1
                                         WHEN c.is_typical THEN 2 ELSE c.idx %% 3 END) g
            """,
        ),
        (
            "communities",
            """
            CREATE TEMP TABLE sc_nb AS
            SELECT n.id, n.commune_id, c.idx AS commune_idx, c.is_nantes, c.is_typical,
                   row_number() OVER (PARTITION BY c.is_nantes ORDER BY n.id) - 1 AS k,
                   count(*) OVER (PARTITION BY c.is_nantes) AS of
            FROM neighbourhoods_neighbourhood n JOIN sc_commune c ON c.id = n.commune_id;
            INSERT INTO neighbourhoods_community (id, neighbourhood_id, name, description, rules,
                                                  alerts_need_approval, created_at)
            SELECT row_number() OVER (ORDER BY nb.id, j), nb.id,
                   'Voisins vigilants ' || nb.k || '-' || j,
                   'Les habitants de quelques rues qui veillent ensemble sur leur quartier.',
                   'Décrire des faits, jamais une personne par son origine ou son apparence.',
                   pg_temp.h(nb.id * 7 + j) %% 4 = 0,
                   now() - interval '3 years' - (pg_temp.h(nb.id) %% 300) * interval '1 day'
            FROM sc_nb nb
            JOIN LATERAL (
                SELECT generate_series(0, (CASE WHEN nb.is_nantes THEN %(nantes_communities)s
                                                ELSE %(communities)s - %(nantes_communities)s END - 1 - nb.k) / nb.of) AS j
            ) js ON true;
            CREATE TEMP TABLE sc_comm AS
            SELECT row_number() OVER (ORDER BY co.id) - 1 AS seq, co.id, co.neighbourhood_id,
                   nb.commune_id, nb.is_nantes, nb.is_typical
            FROM neighbourhoods_community co JOIN sc_nb nb ON nb.id = co.neighbourhood_id;
            CREATE UNIQUE INDEX ON sc_comm (seq);
            """,
        ),
        (
            "users",
            f"""
            CREATE TEMP TABLE sc_const AS
            SELECT (SELECT count(*) FROM sc_comm) AS c,
                   (SELECT min(seq) FROM sc_comm WHERE is_typical) AS typical_seq;
            INSERT INTO accounts_user (id, password, last_login, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, phone, charter_accepted_at, phone_verified_at,
                sms_opted_out_at, show_phone, show_email, official_role, is_referent)
            SELECT u, %(password)s,
                   now() - (pg_temp.h(u * 3) %% 200) * interval '1 day',
                   false,
                   ({first})[1 + pg_temp.h(u * 5) %% {len(FIRST_NAMES)}],
                   ({last})[1 + pg_temp.h(u * 11) %% {len(LAST_NAMES)}],
                   false, true, j, 'membre' || u || '@scale.vigilance.test',
                   '+336' || lpad(u::text, 8, '0'), j,
                   CASE WHEN pg_temp.h(u * 13) %% 100 < 80 THEN j + interval '10 minutes' END,
                   CASE WHEN pg_temp.h(u * 17) %% 100 < 2 THEN j + interval '30 days' END,
                   pg_temp.h(u * 19) %% 100 < 30, pg_temp.h(u * 23) %% 100 < 20, '', false
            FROM generate_series(1, %(n)s) u,
                 LATERAL (SELECT now() - interval '3 years' + (pg_temp.h(u) %% (3 * 365 * 86400)) * interval '1 second' AS j) d
            """,
        ),
        (
            "officials (police, mayor's office per commune)",
            """
            INSERT INTO accounts_user (id, password, last_login, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, phone, show_phone, show_email, official_role, is_referent)
            SELECT %(n)s + 1 + 2 * c.idx + r, %(password)s, now(), false,
                   CASE r WHEN 0 THEN 'Agent' ELSE 'Accueil' END,
                   CASE r WHEN 0 THEN 'Police municipale ' ELSE 'Mairie ' END || c.insee_code,
                   true, true, now() - interval '3 years',
                   CASE r WHEN 0 THEN 'police.' ELSE 'mairie.' END || c.insee_code || '@scale.vigilance.test',
                   '', false, false, CASE r WHEN 0 THEN 'police' ELSE 'mayor_office' END, false
            FROM sc_commune c, generate_series(0, 1) r;
            INSERT INTO accounts_user (id, password, last_login, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, phone, show_phone, show_email, official_role, is_referent)
            SELECT %(n)s + 1 + 2 * count(*), %(password)s, now(), true, 'Équipe', 'Plateforme', true, true,
                   now() - interval '3 years', 'admin@scale.vigilance.test', '', false, false, '', false
            FROM sc_commune;
            INSERT INTO neighbourhoods_official (user_id, commune_id)
            SELECT %(n)s + 1 + 2 * c.idx + r, c.id FROM sc_commune c, generate_series(0, 1) r;
            INSERT INTO account_emailaddress (id, email, verified, "primary", user_id)
            SELECT id, email, true, true, id FROM accounts_user ORDER BY id;
            """,
        ),
        (
            "memberships (staging)",
            """
            CREATE TEMP TABLE sc_ms AS
            SELECT u AS user_id, k,
                   CASE WHEN k = 0 AND u <= %(typical_members)s THEN k2.typical_seq
                        ELSE (pg_temp.h(u * 29) %% k2.c + k) %% k2.c END AS seq,
                   CASE WHEN pg_temp.h(u * 31 + k) %% 100 < 94 THEN 'approved' ELSE 'pending' END AS status
            FROM generate_series(1, %(n)s) u, sc_const k2,
                 generate_series(0, 2) k
            WHERE k <= pg_temp.h(u * 37) %% 3;
            CREATE TEMP TABLE sc_mem AS
            SELECT DISTINCT ON (seq, user_id) seq, user_id, k, status FROM sc_ms ORDER BY seq, user_id, k;
            CREATE TEMP TABLE sc_approved AS
            SELECT seq, user_id, row_number() OVER (PARTITION BY seq ORDER BY user_id) AS rn,
                   count(*) OVER (PARTITION BY seq) AS cnt
            FROM sc_mem WHERE status = 'approved';
            CREATE INDEX ON sc_approved (seq, rn);
            CREATE TEMP TABLE sc_cnt AS SELECT seq, cnt FROM sc_approved WHERE rn = 1;
            CREATE UNIQUE INDEX ON sc_cnt (seq);
            ANALYZE sc_mem; ANALYZE sc_approved; ANALYZE sc_cnt;
            """,
        ),
        (
            "referents (one per neighbourhood; Nantes' first x3)",
            """
            CREATE TEMP TABLE sc_ref AS
            SELECT DISTINCT ON (co.neighbourhood_id) co.neighbourhood_id, a.user_id, co.commune_id
            FROM sc_comm co JOIN sc_approved a ON a.seq = co.seq AND a.rn = 1
            ORDER BY co.neighbourhood_id, co.seq;
            UPDATE sc_ref r SET user_id = (SELECT r2.user_id FROM sc_ref r2 JOIN sc_nb n2 ON n2.id = r2.neighbourhood_id
                                           WHERE n2.is_nantes ORDER BY n2.id LIMIT 1)
            FROM sc_nb nb WHERE nb.id = r.neighbourhood_id AND nb.is_nantes AND nb.k IN (1, 2);
            INSERT INTO neighbourhoods_neighbourhoodreferent (appointed_at, appointed_by_id, neighbourhood_id, user_id)
            SELECT now() - interval '2 years', %(n)s + 2 + 2 * c.idx, r.neighbourhood_id, r.user_id
            FROM sc_ref r JOIN sc_commune c ON c.id = r.commune_id;
            UPDATE accounts_user SET is_referent = true WHERE id IN (SELECT user_id FROM sc_ref);
            CREATE TEMP TABLE sc_comm_ref AS
            SELECT DISTINCT ON (co.seq) co.seq, co.id, r.user_id
            FROM sc_comm co JOIN sc_ref r ON r.neighbourhood_id = co.neighbourhood_id ORDER BY co.seq, r.user_id;
            CREATE UNIQUE INDEX ON sc_comm_ref (seq);
            UPDATE neighbourhoods_community co SET created_by_id = r.user_id FROM sc_comm_ref r WHERE r.id = co.id;
            """,
        ),
        (
            "memberships",
            f"""
            INSERT INTO neighbourhoods_membership (street, status, requested_at, decided_at, decision_message,
                                                   community_id, decided_by_id, user_id)
            SELECT ({streets})[1 + pg_temp.h(m.user_id * 41) %% {len(STREETS)}], m.status, t.at,
                   CASE WHEN m.status = 'approved' THEN t.at + interval '1 day' END, '',
                   co.id, CASE WHEN m.status = 'approved' THEN r.user_id END, m.user_id
            FROM sc_mem m JOIN sc_comm co ON co.seq = m.seq LEFT JOIN sc_comm_ref r ON r.seq = m.seq,
                 LATERAL (SELECT CASE WHEN m.status = 'pending'
                                      THEN now() - (pg_temp.h(m.user_id * 43 + m.k) %% (20 * 86400)) * interval '1 second'
                                      ELSE now() - interval '3 years' + (pg_temp.h(m.user_id * 43 + m.k) %% (3 * 365 * 86400)) * interval '1 second'
                                 END AS at) t
            ORDER BY m.seq, m.user_id
            """,
        ),
        (
            "residences",
            """
            INSERT INTO neighbourhoods_residence (user_id, declared_at, commune_id)
            SELECT DISTINCT ON (m.user_id) m.user_id, u.date_joined, co.commune_id
            FROM sc_mem m JOIN sc_comm co ON co.seq = m.seq JOIN accounts_user u ON u.id = m.user_id
            ORDER BY m.user_id, m.k
            """,
        ),
        (
            "notification preferences (20 % of users)",
            """
            INSERT INTO alerts_notificationpreference (user_id, information_sms, information_email, vigilance_sms,
                vigilance_email, urgent_sms, urgent_email, quiet_hours_start, quiet_hours_end)
            SELECT u, false, pg_temp.h(u * 47) %% 2 = 0, true, true, true, true,
                   CASE WHEN u %% 2 = 0 THEN time '22:00' END, CASE WHEN u %% 2 = 0 THEN time '07:00' END
            FROM generate_series(1, %(n)s) u WHERE pg_temp.h(u * 53) %% 100 < 20
            """,
        ),
        (
            "moderation log: approvals, referents named",
            """
            INSERT INTO neighbourhoods_moderationentry (action, subject, reason, created_at, actor_id, community_id)
            SELECT 'approved', u.first_name || ' ' || u.last_name, '', m.decided_at, m.decided_by_id, m.community_id
            FROM neighbourhoods_membership m JOIN accounts_user u ON u.id = m.user_id
            WHERE m.status = 'approved';
            INSERT INTO neighbourhoods_moderationentry (action, subject, reason, created_at, actor_id, community_id)
            SELECT 'referent_named', u.first_name || ' ' || u.last_name, '', nr.appointed_at, nr.appointed_by_id, co.id
            FROM neighbourhoods_neighbourhoodreferent nr JOIN accounts_user u ON u.id = nr.user_id
            JOIN neighbourhoods_community co ON co.neighbourhood_id = nr.neighbourhood_id;
            """,
        ),
    ]
