-- 顧客別売上一覧 over long periods (issue 5, docs/performance.md): every customer's totals for a
-- few fixed periods — the twelve months up to the last closed month, the last calendar year —
-- kept ranked ahead of the request. Summing a year of report_customer_days means hashing
-- ~2.8 million rows into ~940,000 customers at the benchmark's scale (2–3 s on two cores); a
-- period kept here answers its first page from an index.
--
-- report_customer_periods lists the periods kept. report_customer_period_sums holds, per period
-- and customer, rows of the same two kinds as the daily summaries (0010): deltas, which a trigger
-- on report_customer_days writes with every delta of a day inside a ready-or-building period, and
-- compacted rows (one per customer), into which report_compact_customer_periods() folds the
-- deltas (the reports.compact job). A report adds the deltas of the customers that have any to
-- their compacted rows: it is exact whether or not the job has run.
--
-- Building a period (reports.service.ts, buildCustomerPeriod): 1. its row is inserted and
-- committed: from then on every delta of its days is also written here; 2. a SHARE lock on
-- report_customer_days is taken and released, which waits for the transactions that wrote a
-- delta before step 1 was visible to them; 3. report_customer_period_fill() replaces the period's
-- rows, in one statement (one snapshot), by the sums of report_customer_days, dropping the
-- deltas that snapshot saw (they are in the sums); deltas committed after it stay. The writers
-- run READ COMMITTED (each statement sees what was committed before it), as the application does.

CREATE TABLE report_customer_periods (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  period_from date NOT NULL,
  period_to date NOT NULL CHECK (period_to >= period_from),
  ready boolean NOT NULL DEFAULT false,
  built_at timestamptz,
  PRIMARY KEY (tenant_id, period_from, period_to)
);

CREATE TABLE report_customer_period_sums (
  tenant_id uuid NOT NULL,
  period_from date NOT NULL,
  period_to date NOT NULL,
  customer_id uuid NOT NULL,
  orders integer NOT NULL DEFAULT 0,
  sales bigint NOT NULL DEFAULT 0,
  compacted boolean NOT NULL DEFAULT false,
  FOREIGN KEY (tenant_id, period_from, period_to)
    REFERENCES report_customer_periods (tenant_id, period_from, period_to) ON DELETE CASCADE
);
CREATE UNIQUE INDEX report_customer_period_sums_key
  ON report_customer_period_sums (tenant_id, period_from, period_to, customer_id) WHERE compacted;
-- The ranking: best first, as the report pages (sales, customer id) descending.
CREATE INDEX report_customer_period_sums_rank
  ON report_customer_period_sums (tenant_id, period_from, period_to, sales DESC, customer_id DESC) INCLUDE (orders)
  WHERE compacted;
CREATE INDEX report_customer_period_sums_deltas
  ON report_customer_period_sums (tenant_id, period_from, period_to, customer_id) WHERE NOT compacted;

-- Every delta of a day inside a kept period, also as a delta of the period.
CREATE FUNCTION report_customer_days_inserted() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO report_customer_period_sums (tenant_id, period_from, period_to, customer_id, orders, sales)
  SELECT n.tenant_id, p.period_from, p.period_to, n.customer_id, sum(n.orders), sum(n.sales)
    FROM new_rows n
    JOIN report_customer_periods p ON p.tenant_id = n.tenant_id AND n.day BETWEEN p.period_from AND p.period_to
   WHERE NOT n.compacted
   GROUP BY n.tenant_id, p.period_from, p.period_to, n.customer_id;
  RETURN NULL;
END $$;

CREATE TRIGGER report_customer_days_inserted AFTER INSERT ON report_customer_days
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_customer_days_inserted();

-- Step 3 of a build: the period's rows from report_customer_days, in one statement.
CREATE FUNCTION report_customer_period_fill(p_from date, p_to date) RETURNS bigint
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := app_tenant_id();
  n bigint;
BEGIN
  IF t IS NULL THEN RAISE EXCEPTION 'report_customer_period_fill: no tenant'; END IF;
  WITH gone AS (
    DELETE FROM report_customer_period_sums
     WHERE tenant_id = t AND period_from = p_from AND period_to = p_to
    RETURNING 1),
  ins AS (
    INSERT INTO report_customer_period_sums (tenant_id, period_from, period_to, customer_id, orders, sales, compacted)
    SELECT t, p_from, p_to, customer_id, sum(orders), sum(sales), true
      FROM report_customer_days
     WHERE tenant_id = t AND day BETWEEN p_from AND p_to
     GROUP BY customer_id
    HAVING sum(orders) <> 0 OR sum(sales) <> 0
    RETURNING 1)
  SELECT (SELECT count(*) FROM ins) INTO n FROM (SELECT count(*) FROM gone) z;
  UPDATE report_customer_periods SET ready = true, built_at = now()
   WHERE tenant_id = t AND period_from = p_from AND period_to = p_to;
  RETURN n;
END $$;

-- Folds the current tenant's deltas of ready periods into their compacted rows; answers how many.
CREATE FUNCTION report_compact_customer_periods() RETURNS bigint
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := app_tenant_id();
  n bigint;
BEGIN
  IF t IS NULL THEN RAISE EXCEPTION 'report_compact_customer_periods: no tenant'; END IF;
  WITH moved AS (
    DELETE FROM report_customer_period_sums s
     USING report_customer_periods p
     WHERE s.tenant_id = t AND NOT s.compacted AND p.tenant_id = t AND p.ready
       AND p.period_from = s.period_from AND p.period_to = s.period_to
    RETURNING s.*),
  ins AS (
    INSERT INTO report_customer_period_sums AS r (tenant_id, period_from, period_to, customer_id, orders, sales,
                                                  compacted)
    SELECT tenant_id, period_from, period_to, customer_id, sum(orders), sum(sales), true
      FROM moved GROUP BY tenant_id, period_from, period_to, customer_id
    ON CONFLICT (tenant_id, period_from, period_to, customer_id) WHERE compacted DO UPDATE
      SET orders = r.orders + EXCLUDED.orders, sales = r.sales + EXCLUDED.sales
    RETURNING 1)
  SELECT (SELECT count(*) FROM moved) INTO n FROM (SELECT count(*) FROM ins) z;
  RETURN n;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_customer_periods', 'report_customer_period_sums'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO madoguchi_app', t);
  END LOOP;
END $$;
