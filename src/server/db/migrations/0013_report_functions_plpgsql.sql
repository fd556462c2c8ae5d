-- The report summaries' delta functions (0010) as PL/pgSQL instead of SQL (bench:orders, issue 5).
--
-- A LANGUAGE sql function that cannot be inlined (these write, and carry SET search_path) is
-- planned again on every call: its four-insert CTE cost every order ~2–5 ms of planning in the
-- row triggers, inside the order's transaction. PL/pgSQL keeps the plan for the session (the
-- connection pool keeps sessions), so a trigger call only executes. Same statements, same results.


CREATE OR REPLACE FUNCTION report_apply_orders(p_orders orders[], p_sgn integer, p_lines boolean) RETURNS void
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  done integer;
BEGIN
  WITH o AS (
    SELECT * FROM unnest(p_orders) WHERE status NOT IN ('cancelled', 'returned')),
  c AS (
    SELECT o.tenant_id, o.order_date, o.ship_date, o.ad_medium_id, o.staff_id, o.carrier, o.ship_prefecture,
           o.customer_id,
           p_sgn * coalesce(l.units, 0) AS units,
           p_sgn * (o.subtotal - o.discount - coalesce(l.r_amount, 0)) AS sales,
           p_sgn * (o.total - o.tax_total
                    - CASE WHEN o.price_mode = 'included'
                           THEN round((o.shipping_fee + o.payment_fee) * 100 / 110.0)::bigint
                           ELSE o.shipping_fee + o.payment_fee END
                    - coalesce(l.r_ex, 0)) AS sales_ex_tax,
           p_sgn * o.shipping_fee AS shipping_fee, p_sgn * o.payment_fee AS payment_fee,
           p_sgn * (o.cost_total - coalesce(l.r_cost, 0)) AS cost
      FROM o
      LEFT JOIN LATERAL (
        SELECT sum(x.quantity - x.returned_quantity) FILTER (WHERE x.kind <> 'component') AS units,
               sum(x.returned_quantity * x.unit_price) AS r_amount,
               sum(CASE WHEN o.price_mode = 'included'
                        THEN round(x.returned_quantity * x.unit_price * 100.0 / (100 + x.tax_rate))::bigint
                        ELSE x.returned_quantity * x.unit_price END) AS r_ex,
               sum(x.returned_quantity * x.unit_cost) AS r_cost
          FROM order_lines x
         WHERE p_lines AND x.tenant_id = o.tenant_id AND x.order_id = o.id) l ON true),
  b AS (
    SELECT c.*, v.basis, v.day FROM c
      CROSS JOIN LATERAL (VALUES ('o'::"char", c.order_date), ('s'::"char", c.ship_date)) v(basis, day)),
  i1 AS (
    INSERT INTO report_order_days (tenant_id, basis, day, ad_medium_id, staff_id, carrier, orders, units, sales,
                                   sales_ex_tax, shipping_fee, payment_fee, cost)
    SELECT tenant_id, basis, day, ad_medium_id, staff_id, carrier, p_sgn * count(*), sum(units), sum(sales),
           sum(sales_ex_tax), sum(shipping_fee), sum(payment_fee), sum(cost)
      FROM b GROUP BY tenant_id, basis, day, ad_medium_id, staff_id, carrier
    RETURNING 1),
  i2 AS (
    INSERT INTO report_region_days (tenant_id, basis, day, prefecture, carrier, orders, units, sales, shipping_fee)
    SELECT tenant_id, basis, day, ship_prefecture, carrier, p_sgn * count(*), sum(units), sum(sales), sum(shipping_fee)
      FROM b GROUP BY tenant_id, basis, day, ship_prefecture, carrier
    RETURNING 1),
  i3 AS (
    INSERT INTO report_customer_days (tenant_id, day, customer_id, orders, sales)
    SELECT tenant_id, order_date, customer_id, p_sgn * count(*), sum(sales)
      FROM c GROUP BY tenant_id, order_date, customer_id
    RETURNING 1),
  i4 AS (
    INSERT INTO report_product_days (tenant_id, basis, day, product_id, carrier, units, amount)
    SELECT o.tenant_id, v.basis, v.day, x.product_id, o.carrier,
           p_sgn * sum(x.quantity - x.returned_quantity), p_sgn * sum((x.quantity - x.returned_quantity) * x.unit_price)
      FROM o
      JOIN order_lines x ON p_lines AND x.tenant_id = o.tenant_id AND x.order_id = o.id AND x.kind <> 'component'
      CROSS JOIN LATERAL (VALUES ('o'::"char", o.order_date), ('s'::"char", o.ship_date)) v(basis, day)
     GROUP BY o.tenant_id, v.basis, v.day, x.product_id, o.carrier
    RETURNING 1)
  SELECT 1 INTO done FROM (SELECT count(*) FROM i1) a, (SELECT count(*) FROM i2) b2, (SELECT count(*) FROM i3) c3,
              (SELECT count(*) FROM i4) d4;
END $$;

CREATE OR REPLACE FUNCTION report_apply_lines(p_lines order_lines[], p_sgn integer) RETURNS void
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  done integer;
BEGIN
  WITH x AS (
    SELECT l.*, o.order_date, o.ship_date, o.ad_medium_id, o.staff_id, o.carrier, o.ship_prefecture, o.customer_id,
           o.price_mode
      FROM unnest(p_lines) l
      JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
     WHERE o.status NOT IN ('cancelled', 'returned')),
  c AS (
    SELECT x.*, p_sgn * CASE WHEN x.kind <> 'component' THEN x.quantity - x.returned_quantity ELSE 0 END AS d_units,
           -p_sgn * x.returned_quantity * x.unit_price AS d_sales,
           -p_sgn * CASE WHEN x.price_mode = 'included'
                         THEN round(x.returned_quantity * x.unit_price * 100.0 / (100 + x.tax_rate))::bigint
                         ELSE x.returned_quantity * x.unit_price END AS d_ex,
           -p_sgn * x.returned_quantity * x.unit_cost AS d_cost
      FROM x),
  b AS (
    SELECT c.*, v.basis, v.day FROM c
      CROSS JOIN LATERAL (VALUES ('o'::"char", c.order_date), ('s'::"char", c.ship_date)) v(basis, day)),
  i1 AS (
    INSERT INTO report_order_days (tenant_id, basis, day, ad_medium_id, staff_id, carrier, units, sales, sales_ex_tax, cost)
    SELECT tenant_id, basis, day, ad_medium_id, staff_id, carrier, sum(d_units), sum(d_sales), sum(d_ex), sum(d_cost)
      FROM b GROUP BY tenant_id, basis, day, ad_medium_id, staff_id, carrier
    RETURNING 1),
  i2 AS (
    INSERT INTO report_region_days (tenant_id, basis, day, prefecture, carrier, units, sales)
    SELECT tenant_id, basis, day, ship_prefecture, carrier, sum(d_units), sum(d_sales)
      FROM b GROUP BY tenant_id, basis, day, ship_prefecture, carrier
    RETURNING 1),
  i3 AS (
    INSERT INTO report_customer_days (tenant_id, day, customer_id, sales)
    SELECT tenant_id, order_date, customer_id, sum(d_sales)
      FROM c WHERE d_sales <> 0 GROUP BY tenant_id, order_date, customer_id
    RETURNING 1),
  i4 AS (
    INSERT INTO report_product_days (tenant_id, basis, day, product_id, carrier, units, amount)
    SELECT tenant_id, basis, day, product_id, carrier,
           p_sgn * sum(quantity - returned_quantity), p_sgn * sum((quantity - returned_quantity) * unit_price)
      FROM b WHERE kind <> 'component' GROUP BY tenant_id, basis, day, product_id, carrier
    RETURNING 1)
  SELECT 1 INTO done FROM (SELECT count(*) FROM i1) a, (SELECT count(*) FROM i2) b2, (SELECT count(*) FROM i3) c3,
              (SELECT count(*) FROM i4) d4;
END $$;
