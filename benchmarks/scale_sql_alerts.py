"""The second half of the bulk SQL of benchmarks/scale.py: alerts, police warnings, flags,
their moderation log, deliveries, absences and the shop. See build_sql() in scale_build.py."""

# ruff: noqa: S608 -- the SQL is built from this file's constants, never from input
from scale_common import DESCRIPTIONS, STREETS, sql_array


def alerts_sql(p: dict) -> list[tuple[str, str]]:
    """The statements from the alerts on, in order, after people_sql() (psycopg2 %(name)s style)."""
    streets = sql_array(STREETS)
    descriptions = sql_array(DESCRIPTIONS)
    return [
        (
            "alerts",
            f"""
            CREATE TEMP TABLE sc_alert AS
            SELECT i,
                   CASE WHEN i <= %(typical_alerts)s THEN k2.typical_seq ELSE pg_temp.h(i * 59) %% k2.c END AS seq,
                   CASE WHEN pg_temp.h(i * 61) %% 100 < 90 OR i <= %(typical_alerts)s * 0.9 THEN 'member'
                        WHEN pg_temp.h(i * 61) %% 100 < 97 THEN 'police' ELSE 'notice' END AS kind,
                   pg_temp.h(i * 67) %% 100 AS s100
            FROM generate_series(1, %(alerts)s - 2) i, sc_const k2;
            INSERT INTO alerts_alert (id, kind, category, urgency, description, street, occurred_at, status,
                created_at, published_at, moderated_at, moderation_reason, anonymised_at, author_id,
                commune_id, moderated_by_id)
            SELECT a.i, a.kind,
                   (ARRAY['vehicle','passes','vulnerable','burglary','scam','other'])[1 + pg_temp.h(a.i * 71) %% 6],
                   CASE WHEN pg_temp.h(a.i * 73) %% 100 < 30 THEN 'information'
                        WHEN pg_temp.h(a.i * 73) %% 100 < 85 THEN 'vigilance' ELSE 'urgent' END,
                   CASE WHEN old THEN '' ELSE ({descriptions})[1 + pg_temp.h(a.i * 79) %% {len(DESCRIPTIONS)}] END,
                   CASE WHEN old THEN '' ELSE ({streets})[1 + pg_temp.h(a.i * 83) %% {len(STREETS)}] END,
                   created - interval '25 minutes', st, created,
                   CASE WHEN st IN ('published', 'withdrawn') THEN created + (pg_temp.h(a.i * 89) %% 600) * interval '1 second' END,
                   CASE WHEN st IN ('withdrawn', 'rejected') THEN created + interval '2 hours' END,
                   CASE WHEN st IN ('withdrawn', 'rejected') AND NOT old THEN 'Hors du cadre de la charte.' ELSE '' END,
                   CASE WHEN old THEN created + interval '366 days' END,
                   CASE WHEN old THEN NULL WHEN a.kind = 'member' THEN au.user_id ELSE %(n)s + 1 + 2 * cm.idx END,
                   co.commune_id,
                   CASE WHEN st IN ('withdrawn', 'rejected') AND NOT old THEN r.user_id END
            FROM sc_alert a JOIN sc_comm co ON co.seq = a.seq JOIN sc_commune cm ON cm.id = co.commune_id
            LEFT JOIN sc_comm_ref r ON r.seq = a.seq LEFT JOIN sc_cnt n ON n.seq = a.seq
            LEFT JOIN sc_approved au ON au.seq = a.seq AND au.rn = 1 + pg_temp.h(a.i * 97) %% n.cnt,
            LATERAL (SELECT CASE
                       WHEN a.kind <> 'member' THEN CASE WHEN a.s100 < 95 THEN 'published' ELSE 'withdrawn' END
                       WHEN a.s100 < 86 THEN 'published' WHEN a.s100 < 89 THEN 'pending'
                       WHEN a.s100 < 95 THEN 'withdrawn' ELSE 'rejected' END AS st) s,
            LATERAL (SELECT CASE WHEN s.st = 'pending'
                                 THEN now() - (pg_temp.h(a.i * 101) %% (10 * 86400)) * interval '1 second'
                                 ELSE now() - (pg_temp.h(a.i * 101) %% (3 * 365 * 86400)) * interval '1 second'
                            END AS created) t,
            LATERAL (SELECT t.created < now() - interval '365 days' AS old) o;
            INSERT INTO alerts_alert_communities (alert_id, community_id)
            SELECT a.i, co.id FROM sc_alert a JOIN sc_comm co ON co.seq = a.seq;
            """,
        ),
        (
            "police warnings to whole communes (2)",
            """
            INSERT INTO alerts_alert (id, kind, category, urgency, description, street, occurred_at, status,
                created_at, published_at, moderation_reason, author_id, commune_id)
            SELECT %(alerts)s - 1 + c.idx, 'police', 'burglary', 'urgent',
                   'Série de cambriolages en journée dans plusieurs quartiers : fermez portes et fenêtres, '
                   'signalez au 17 tout véhicule ou démarcheur suspect.', '', now() - interval '3 hours',
                   'published', now() - interval '2 hours', now() - interval '2 hours', '',
                   %(n)s + 1 + 2 * c.idx, c.id
            FROM sc_commune c WHERE c.is_nantes OR c.is_typical;
            INSERT INTO alerts_alert_communities (alert_id, community_id)
            SELECT %(alerts)s - 1 + c.idx, co.id FROM sc_commune c JOIN sc_comm co ON co.commune_id = c.id
            WHERE c.is_nantes OR c.is_typical;
            """,
        ),
        (
            "flags",
            """
            INSERT INTO alerts_alertflag (reason, created_at, alert_id, user_id)
            SELECT 'Rien d''anormal, c''est un livreur.', a.published_at + interval '1 hour', a.id, ap.user_id
            FROM alerts_alert a JOIN alerts_alert_communities ac ON ac.alert_id = a.id
            JOIN sc_comm co ON co.id = ac.community_id, generate_series(1, 2) f,
            LATERAL (SELECT user_id FROM sc_approved x WHERE x.seq = co.seq
                     AND x.cnt >= 3 AND x.rn = 1 + (pg_temp.h(a.id) + f) %% x.cnt) ap
            WHERE a.kind = 'member' AND a.status = 'published' AND pg_temp.h(a.id * 103) %% 100 < 3
              AND f <= 1 + a.id %% 2
            ON CONFLICT DO NOTHING
            """,
        ),
        (
            "moderation log: alerts, police warnings",
            """
            INSERT INTO neighbourhoods_moderationentry (action, subject, reason, created_at, actor_id, community_id)
            SELECT CASE a.status WHEN 'withdrawn' THEN 'alert_withdrawn' WHEN 'rejected' THEN 'alert_rejected'
                                 ELSE 'police_warning' END,
                   CASE a.category WHEN 'vehicle' THEN 'Véhicule suspect' WHEN 'burglary' THEN 'Cambriolage'
                                   ELSE 'Alerte' END,
                   a.moderation_reason, coalesce(a.moderated_at, a.published_at), coalesce(a.moderated_by_id, a.author_id),
                   ac.community_id
            FROM alerts_alert a JOIN alerts_alert_communities ac ON ac.alert_id = a.id
            WHERE a.status IN ('withdrawn', 'rejected') OR (a.kind = 'police' AND a.status = 'published')
            """,
        ),
        (
            "deliveries",
            """
            CREATE TEMP TABLE sc_dl_alert AS
            SELECT a.id, a.urgency, a.published_at, a.author_id, a.kind, co.seq, co.is_nantes, n.cnt AS members
            FROM alerts_alert a JOIN alerts_alert_communities ac ON ac.alert_id = a.id
            JOIN sc_comm co ON co.id = ac.community_id JOIN sc_cnt n ON n.seq = co.seq
            WHERE a.status = 'published' AND a.kind <> 'notice' AND a.id < %(alerts)s - 1;
            CREATE TEMP TABLE sc_dl_special AS
            SELECT count(DISTINCT m.user_id) FILTER (WHERE co.is_nantes) AS nantes,
                   count(DISTINCT m.user_id) FILTER (WHERE co.is_typical) AS rest
            FROM sc_approved m JOIN sc_comm co ON co.seq = m.seq WHERE co.is_nantes OR co.is_typical;
            CREATE TEMP TABLE sc_dl_pick AS
            SELECT a.* FROM sc_dl_alert a,
                 (SELECT is_nantes, sum(members * CASE urgency WHEN 'information' THEN 1 ELSE 1.8 END) AS est
                  FROM sc_dl_alert GROUP BY is_nantes) e, sc_dl_special sp
            WHERE e.is_nantes = a.is_nantes
              AND pg_temp.h(a.id * 107) %% 100000 < 100000 * greatest(0,
                    CASE WHEN a.is_nantes THEN %(nantes_deliveries)s - 1.8 * sp.nantes
                         ELSE %(deliveries)s - %(nantes_deliveries)s - 1.8 * sp.rest END) / e.est;
            INSERT INTO alerts_delivery (channel, purpose, "to", status, attempts, provider_id, error_code,
                error_message, created_at, updated_at, sent_at, alert_id, recipient_id)
            SELECT ch, 'alert',
                   CASE WHEN d.published_at < now() - interval '30 days' THEN ''
                        WHEN ch = 'sms' THEN u.phone ELSE u.email END,
                   st, 1,
                   CASE WHEN ch = 'sms' THEN 'SM' || md5(d.id || '-' || u.id) ELSE '' END,
                   CASE WHEN st = 'failed' THEN CASE WHEN ch = 'sms' THEN '30006' ELSE '550' END ELSE '' END,
                   CASE WHEN st = 'failed' AND d.published_at >= now() - interval '30 days'
                        THEN 'Destination unreachable' ELSE '' END,
                   d.published_at, d.published_at + interval '3 seconds',
                   CASE WHEN st <> 'failed' THEN d.published_at + interval '2 seconds' END,
                   d.id, u.id
            FROM (SELECT p.id, p.urgency, p.published_at, m.user_id
                  FROM sc_dl_pick p JOIN sc_approved m ON m.seq = p.seq
                  WHERE p.author_id IS NULL OR m.user_id <> p.author_id
                  UNION ALL
                  SELECT DISTINCT a.id, a.urgency, a.published_at, m.user_id
                  FROM alerts_alert a JOIN alerts_alert_communities ac ON ac.alert_id = a.id
                  JOIN sc_comm co ON co.id = ac.community_id JOIN sc_approved m ON m.seq = co.seq
                  WHERE a.id >= %(alerts)s - 1) d
            JOIN accounts_user u ON u.id = d.user_id
            CROSS JOIN LATERAL (VALUES ('email'), ('sms')) c(ch)
            CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.h(d.id * 7 + u.id) %% 100 < 3 THEN 'failed'
                                            WHEN ch = 'sms' AND pg_temp.h(d.id * 7 + u.id) %% 100 < 93 THEN 'delivered'
                                            ELSE 'sent' END AS st) s
            WHERE ch = 'email' OR (d.urgency <> 'information' AND u.phone_verified_at IS NOT NULL
                                   AND u.sms_opted_out_at IS NULL)
            """,
        ),
        (
            "absences (holiday watch)",
            """
            INSERT INTO neighbourhoods_absence (starts_on, ends_on, note, share_with_referent, created_at,
                                                user_id, community_id)
            SELECT current_date - (m.user_id %% 10)::int, current_date + (m.user_id %% 15)::int,
                   'Un voisin relève le courrier le samedi.', true, now() - interval '12 days', m.user_id, co.id
            FROM sc_approved m JOIN sc_comm co ON co.seq = m.seq WHERE pg_temp.h(m.user_id * 109) %% 100 = 0
            """,
        ),
        (
            "shop: products, programme, orders",
            """
            INSERT INTO shop_product (sku, name, description, kind, image, price_excl_vat, vat_rate, stock,
                                      is_active, for_residents, for_town_halls, max_per_order) VALUES
              ('STK-BAL', 'Autocollant boîte aux lettres', 'Autocollant 8 × 6 cm.', 'sticker',
               'img/shop/letterbox-sticker.svg', 3.25, 20, 500, true, true, true, 50),
              ('STK-PORTE', 'Autocollant de porte', 'Autocollant rond, 10 cm.', 'sticker',
               'img/shop/door-sticker.svg', 4.08, 20, 300, true, true, true, 50),
              ('KIT-FOYER', 'Kit d''autocollants du foyer', 'Deux autocollants et un de porte.', 'kit',
               'img/shop/sticker-kit.svg', 9.92, 20, 200, true, true, true, 50),
              ('PAN-S', 'Panneau de rue 30 × 40 cm', 'Panneau aluminium.', 'sign',
               'img/shop/street-sign.svg', 41.58, 20, 40, true, false, true, 50),
              ('PAN-L', 'Panneau de rue 50 × 70 cm', 'Grand panneau aluminium.', 'sign',
               'img/shop/street-sign.svg', 74.92, 20, 25, true, false, true, 50),
              ('PACK-RUE', 'Pack rue', 'Deux panneaux et 20 kits.', 'pack',
               'img/shop/street-pack.svg', 124.92, 20, 15, true, false, true, 50);
            INSERT INTO shop_signageprogramme (commune_id, is_mairie_vigilante, budget_remaining)
            SELECT id, true, 500 FROM sc_commune WHERE is_typical;
            INSERT INTO shop_signageprogramme_funded_products (signageprogramme_id, product_id)
            SELECT sp.id, p.id FROM shop_signageprogramme sp, shop_product p WHERE p.sku = 'KIT-FOYER';
            CREATE TEMP TABLE sc_order AS
            SELECT row_number() OVER () AS id, * FROM (
              SELECT m.user_id AS buyer, 'resident' AS buyer_kind, 'transfer' AS payment, c.id AS commune_id,
                     'STK-BAL' AS sku, 1 + m.user_id %% 3 AS qty
              FROM sc_approved m JOIN sc_comm co ON co.seq = m.seq JOIN sc_commune c ON c.id = co.commune_id
              WHERE (c.is_nantes OR c.is_typical) AND pg_temp.h(m.user_id * 113) %% 100 < 2
              UNION ALL
              SELECT %(n)s + 2 + 2 * c.idx, 'town_hall', 'invoice', c.id, 'PAN-S', 2 + g %% 5
              FROM sc_commune c, generate_series(1, 15) g WHERE c.is_nantes OR c.is_typical
            ) o;
            INSERT INTO shop_order (id, reference, buyer_kind, status, payment, delivery_name, delivery_address,
                billing_address, siret, purchase_order_number, total_excl_vat, total_vat, total_incl_vat,
                funded_amount, tracking_number, cancel_reason, created_at, updated_at, buyer_id, commune_id)
            SELECT o.id, 'SC-' || lpad(o.id::text, 8, '0'), o.buyer_kind,
                   (ARRAY['pending','confirmed','paid','shipped','delivered','delivered'])[1 + o.id %% 6],
                   o.payment, u.first_name || ' ' || u.last_name, '1 place de la Mairie',
                   CASE WHEN o.buyer_kind = 'town_hall' THEN '1 place de la Mairie' ELSE '' END,
                   CASE WHEN o.buyer_kind = 'town_hall' THEN '21440109300015' ELSE '' END,
                   CASE WHEN o.buyer_kind = 'town_hall' THEN 'BC-2026-' || o.id ELSE '' END,
                   p.price_excl_vat * o.qty, round(p.price_excl_vat * o.qty * 0.2, 2),
                   p.price_excl_vat * o.qty + round(p.price_excl_vat * o.qty * 0.2, 2), 0, '', '',
                   now() - (o.id %% 700) * interval '1 day', now() - (o.id %% 700) * interval '1 day' + interval '1 day',
                   o.buyer, o.commune_id
            FROM sc_order o JOIN accounts_user u ON u.id = o.buyer JOIN shop_product p ON p.sku = o.sku;
            INSERT INTO shop_orderline (order_id, product_id, sku, name, unit_price_excl_vat, vat_rate, quantity, funded)
            SELECT o.id, p.id, p.sku, p.name, p.price_excl_vat, p.vat_rate, o.qty, false
            FROM sc_order o JOIN shop_product p ON p.sku = o.sku;
            INSERT INTO shop_orderevent (order_id, from_status, to_status, note, created_at, actor_id)
            SELECT o.id, '', 'pending', '', o.created_at, o.buyer_id FROM shop_order o;
            """,
        ),
    ]
