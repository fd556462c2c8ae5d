-- Karte (health notes), per-user grants, ranks with the customer statistics they read, and
-- merged customers (issue 4). Sized for a tenant with 1,000,000 customers (DESIGN.md §7).

-- ---------------------------------------------------------------------------------------------
-- Per-user grants beyond the role. `karte`: an operator may read and write health notes.
-- API tokens never hold a grant (a token is not a user).
CREATE TABLE user_grants (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  grant_name text NOT NULL CHECK (grant_name IN ('karte')),
  granted_by uuid,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, grant_name),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- 要配慮個人情報: kept apart from the customer row so that no customer query, list, search or
-- export can carry it by accident. Plain columns: PGlite has no pgcrypto, and a key held by the
-- same server would protect nothing the RLS role and disk encryption do not (docs/karte-ranks-merge.md).
CREATE TABLE customer_kartes (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  conditions text CHECK (length(conditions) <= 2000),
  allergies text CHECK (length(allergies) <= 2000),
  medication text CHECK (length(medication) <= 2000),
  notes text CHECK (length(notes) <= 4000),
  version integer NOT NULL DEFAULT 1,
  updated_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- Rank master (レギュラー / ゴールド / プラチナ …). A customer's rule rank is the first active rank,
-- by (priority, id), whose rules all hold: purchases within the last period_days (Asia/Tokyo
-- days, today included) reach min_count and/or min_amount (combine), and the last purchase is
-- within recency_days. A rank with no rules matches everyone (the default rank).
CREATE TABLE ranks (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  color text CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
  priority integer NOT NULL CHECK (priority BETWEEN 0 AND 100000),
  min_count integer CHECK (min_count BETWEEN 1 AND 1000000),
  min_amount bigint CHECK (min_amount BETWEEN 1 AND 100000000000),
  combine text NOT NULL DEFAULT 'all' CHECK (combine IN ('all', 'any')),
  period_days integer NOT NULL DEFAULT 365 CHECK (period_days BETWEEN 1 AND 3660),
  recency_days integer CHECK (recency_days BETWEEN 1 AND 3660),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ranks_name_key ON ranks (tenant_id, name);
CREATE INDEX ranks_priority_idx ON ranks (tenant_id, priority, id);

-- What the orders module feeds (ranks.stats.ts: recordPurchase / reversePurchase, in the order's
-- transaction): lifetime totals, and the rule rank the recompute job last stored.
CREATE TABLE customer_stats (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  purchase_count integer NOT NULL DEFAULT 0 CHECK (purchase_count >= 0),
  purchase_amount bigint NOT NULL DEFAULT 0 CHECK (purchase_amount >= 0),
  first_purchase_at timestamptz,
  last_purchase_at timestamptz,
  rule_rank_id uuid,
  ranked_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, rule_rank_id) REFERENCES ranks (tenant_id, id) ON DELETE SET NULL (rule_rank_id)
);
-- Customers of a rank (lists, counts); recency boundaries and 長期未対応 by last purchase.
CREATE INDEX customer_stats_rank_idx ON customer_stats (tenant_id, rule_rank_id, customer_id);
CREATE INDEX customer_stats_last_purchase_idx ON customer_stats (tenant_id, last_purchase_at, customer_id);

-- Purchases per customer and Asia/Tokyo day: the rolling windows of the rules are sums over these.
CREATE TABLE customer_purchase_days (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  day date NOT NULL,
  purchase_count integer NOT NULL CHECK (purchase_count >= 0),
  purchase_amount bigint NOT NULL CHECK (purchase_amount >= 0),
  last_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, customer_id, day),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
-- The nightly sweep: whose window just lost a day.
CREATE INDEX customer_purchase_days_day_idx ON customer_purchase_days (tenant_id, day, customer_id);

-- Customers whose rank must be computed again (marked in the transaction that changed their
-- data; the job takes them in batches with SKIP LOCKED and deletes them).
CREATE TABLE rank_dirty (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- The last Asia/Tokyo day the nightly sweep covered, per tenant (a missed night is caught up).
CREATE TABLE rank_sweeps (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  swept_on date NOT NULL
);

-- A rank set by hand, with its reason; it wins over the rule rank until cleared.
CREATE TABLE customer_rank_overrides (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  rank_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  set_by uuid,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, rank_id) REFERENCES ranks (tenant_id, id)
);
CREATE INDEX customer_rank_overrides_rank_idx ON customer_rank_overrides (tenant_id, rank_id, customer_id);

-- ---------------------------------------------------------------------------------------------
-- Merged customers. The merged record is kept (ids stay resolvable, histories stay joined) and
-- points at the customer it was merged into. The restrictive policy hides merged customers from
-- every read of the application role — GET /customers/{id} answers 404, lists, searches, the
-- screen pop and exports skip them — unless a transaction sets app.include_merged (the merge
-- itself and GET /customers/{id}/merge do).
ALTER TABLE customers
  ADD COLUMN merged_into uuid,
  ADD COLUMN merged_at timestamptz,
  ADD CONSTRAINT customers_merged_into_fkey FOREIGN KEY (tenant_id, merged_into) REFERENCES customers (tenant_id, id),
  ADD CONSTRAINT customers_merged_into_check CHECK (merged_into <> id);
CREATE INDEX customers_merged_into_idx ON customers (tenant_id, merged_into) WHERE merged_into IS NOT NULL;
CREATE POLICY hide_merged ON customers AS RESTRICTIVE FOR SELECT
  USING (merged_into IS NULL OR current_setting('app.include_merged', true) = 'on');

CREATE TABLE customer_merges (
  tenant_id uuid NOT NULL,
  merged_id uuid NOT NULL,
  keep_id uuid NOT NULL,
  merged_by uuid,
  merged_at timestamptz NOT NULL DEFAULT now(),
  -- Rows moved per table or handler, and the merged customer's phone numbers as they were.
  moved jsonb NOT NULL DEFAULT '{}'::jsonb,
  phones jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, merged_id),
  FOREIGN KEY (tenant_id, merged_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, keep_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX customer_merges_keep_idx ON customer_merges (tenant_id, keep_id, merged_at);

-- Likely duplicates by name and address: the name part of the search form (already folded by
-- src/shared/japanese/name.ts) and this key of address1 (width, spaces, and the ways of writing
-- 1-2-3: １－２－３, 1ー2ー3, 1丁目2番3号, 1番地2), under the same postal code. Stored columns, not
-- expression indexes: under RLS a condition on a function that is not LEAKPROOF cannot be an index
-- condition (0002 explains), while comparisons of plain text columns can — so the duplicate walk
-- starts at its cursor instead of at the tenant's first customer.
CREATE FUNCTION customer_address_key(a text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT nullif(rtrim(regexp_replace(regexp_replace(lower(normalize(a, NFKC)), '\s+', '', 'g'),
                                       '(?<=[0-9])(丁目|番地|番|号|[ー‐‑‒–—―−-])', '-', 'g'), '-'), '')
  $$;
ALTER TABLE customers
  ADD COLUMN dupe_name text GENERATED ALWAYS AS (nullif(split_part(name_search, ' ', 1), '')) STORED,
  ADD COLUMN dupe_address text GENERATED ALWAYS AS (customer_address_key(address1)) STORED;
CREATE INDEX customers_dupe_name_address_idx ON customers (tenant_id, postal_code, dupe_name, dupe_address, id)
  WHERE postal_code IS NOT NULL AND dupe_name IS NOT NULL AND dupe_address IS NOT NULL AND merged_into IS NULL;

-- A merged customer leaves the name and e-mail search (customer_search of 0002, which the
-- application role cannot touch): the merge calls this for the customer it has just marked.
CREATE FUNCTION customer_search_forget_merged(p_customer_id uuid) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  DELETE FROM customer_search s
   WHERE s.tenant_id = app_tenant_id() AND s.customer_id = p_customer_id
     AND EXISTS (SELECT 1 FROM customers c
                  WHERE c.tenant_id = s.tenant_id AND c.id = s.customer_id AND c.merged_into IS NOT NULL);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION customer_search_forget_merged(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION customer_search_forget_merged(uuid) TO madoguchi_app;

-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['user_grants', 'customer_kartes', 'ranks', 'customer_stats', 'customer_purchase_days',
                           'rank_dirty', 'rank_sweeps', 'customer_rank_overrides', 'customer_merges'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_grants, customer_kartes, ranks, customer_stats,
  customer_purchase_days, rank_dirty, rank_sweeps, customer_rank_overrides TO madoguchi_app;
-- A merge record is written once and never changed.
GRANT SELECT, INSERT ON customer_merges TO madoguchi_app;

-- The rank jobs run once for all tenants and must learn which tenants have work. The owner reads
-- across tenants only inside this function (app.rank_jobs, like app.auth_lookup in 0001).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY rank_jobs ON rank_dirty TO %I USING (current_setting(''app.rank_jobs'', true) = ''on'')',
    current_user);
  EXECUTE format('CREATE POLICY rank_jobs ON ranks TO %I USING (current_setting(''app.rank_jobs'', true) = ''on'')',
    current_user);
END $$;

-- p_dirty: the tenants with customers waiting for a recompute; else the tenants with a rank master.
CREATE FUNCTION rank_job_tenants(p_dirty boolean) RETURNS TABLE (tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.rank_jobs = 'on' AS $$
BEGIN
  IF p_dirty THEN
    RETURN QUERY SELECT DISTINCT d.tenant_id FROM rank_dirty d;
  ELSE
    RETURN QUERY SELECT DISTINCT r.tenant_id FROM ranks r;
  END IF;
END $$;
REVOKE ALL ON FUNCTION rank_job_tenants(boolean) FROM PUBLIC;
