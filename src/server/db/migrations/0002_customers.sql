-- Customers (issue 4): the customer record, its phone numbers and delivery addresses (送付先),
-- per-tenant customer numbers, and Japan Post's postal codes (a shared, read-only table).
-- Sized for one tenant with 1,000,000 customers and 3,000,000 phone numbers (DESIGN.md §7).

-- The one- and two-character substrings of a search form (src/shared/japanese/name.ts makes the
-- form and the query's grams). A name matches a query when its grams contain all of the query's
-- grams and the search form contains the query: a GIN index on these serves one- and
-- two-character queries, which a trigram index cannot, and longer ones by intersecting their
-- bigrams. Substrings holding a space (the separator between name and kana) are left out.
-- (plpgsql: twice as fast as the set-returning SQL form; duplicates are left in, GIN stores
-- each key of a row once.)
CREATE FUNCTION search_grams(s text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  chars text[] := string_to_array(s, NULL);
  n integer := coalesce(array_length(chars, 1), 0);
  grams text[] := '{}';
BEGIN
  FOR i IN 1..n LOOP
    CONTINUE WHEN chars[i] = ' ';
    grams := grams || chars[i];
    IF i < n AND chars[i + 1] <> ' ' THEN
      grams := grams || (chars[i] || chars[i + 1]);
    END IF;
  END LOOP;
  RETURN grams;
END $$;

CREATE FUNCTION lower_all(a text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(lower(e) ORDER BY n), '{}'::text[]) FROM unnest(a) WITH ORDINALITY AS x(e, n) $$;

-- The last customer number given in each tenant. Taking numbers locks the tenant's row until the
-- transaction ends, so numbers are unique and gap-free in commit order of the takers.
CREATE TABLE customer_counters (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

CREATE TABLE customers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  seq bigint NOT NULL CHECK (seq > 0),
  -- The customer number people read out: C000001 … C999999, C1000000 …
  code text GENERATED ALWAYS AS ('C' || lpad(seq::text, greatest(6, length(seq::text)), '0')) STORED,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_kana text CHECK (length(name_kana) <= 100),
  family_name text CHECK (length(family_name) <= 50),
  given_name text CHECK (length(given_name) <= 50),
  family_name_kana text CHECK (length(family_name_kana) <= 50),
  given_name_kana text CHECK (length(given_name_kana) <= 50),
  -- normalizeName(name) || ' ' || normalizeName(kana): the searched form (src/shared/japanese).
  name_search text NOT NULL,
  emails text[] NOT NULL DEFAULT '{}',
  postal_code text CHECK (postal_code ~ '^\d{3}-\d{4}$'),
  prefecture text CHECK (length(prefecture) <= 10),
  city text CHECK (length(city) <= 100),
  address1 text CHECK (length(address1) <= 200),
  address2 text CHECK (length(address2) <= 200),
  company text CHECK (length(company) <= 100),
  department text CHECK (length(department) <= 100),
  birth_date date,
  gender text CHECK (gender IN ('female', 'male', 'other', 'unknown')),
  dm_opt_in boolean NOT NULL DEFAULT false,
  mail_opt_in boolean NOT NULL DEFAULT false,
  staff_id uuid,
  ad_medium text CHECK (length(ad_medium) <= 100),
  tags text[] NOT NULL DEFAULT '{}',
  note text CHECK (length(note) <= 4000),
  -- 注意事項: shown in red on every screen of the customer.
  alert text CHECK (length(alert) <= 500),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES users (tenant_id, id)
);
-- Lists, keyset pages and exports in customer-number order; a code look-up is a seq look-up.
CREATE UNIQUE INDEX customers_seq_key ON customers (tenant_id, seq);

CREATE TABLE customer_phones (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  position smallint NOT NULL CHECK (position >= 0),
  number text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
  e164 text NOT NULL CHECK (e164 ~ '^\+\d{5,15}$'),
  national text NOT NULL CHECK (national ~ '^\d{4,15}$'),
  kind text NOT NULL CHECK (kind IN ('home', 'mobile', 'work', 'fax', 'other')),
  -- The national digits reversed: "ends with 5678" is the prefix '8765', an index range scan.
  reversed_digits text GENERATED ALWAYS AS (reverse(national)) STORED,
  PRIMARY KEY (tenant_id, customer_id, position),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
-- The screen pop: every number the caller may be, one index probe (index-only with customer_id).
CREATE INDEX customer_phones_e164_idx ON customer_phones (tenant_id, e164, customer_id);
-- Trailing digits, and the national digits exactly (an equality on the reversed form).
CREATE INDEX customer_phones_trailing_idx ON customer_phones (tenant_id, reversed_digits text_pattern_ops, customer_id);

-- Name and e-mail search. Under row-level security PostgreSQL evaluates a query's conditions
-- only after the policy's unless their functions are LEAKPROOF, and an index scan evaluates
-- them first: so `grams @> …` (arraycontains, not leakproof) can never use a GIN index on an
-- RLS table — every name search would read the whole tenant (measured: 70–100 ms at 100,000
-- customers, a sequential scan). Equality and range operators on text, uuid and integers are
-- leakproof, which is why phone, code and id look-ups stay on ordinary RLS indexes.
-- The search forms therefore live in customer_search, a table WITHOUT RLS that the application
-- role cannot touch: triggers on customers (SECURITY DEFINER) keep it in step, and two
-- SECURITY DEFINER functions read it, always scoped to app_tenant_id() — the same narrow door
-- as the auth_* look-ups of 0001.
CREATE TABLE customer_search (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  seq bigint NOT NULL,
  name_search text NOT NULL,
  name_grams text[] NOT NULL,
  email_keys text[] NOT NULL,
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
REVOKE ALL ON customer_search FROM PUBLIC;
-- A frequent gram (太郎, 林) is answered by walking the tenant's customers in number order and
-- stopping at the page's end; a rare one by the GIN index. The planner picks per query.
CREATE UNIQUE INDEX customer_search_seq_key ON customer_search (tenant_id, seq);
-- GIN indexes cannot usefully lead with tenant_id (a btree_gin key on the tenant matches every
-- row of it); the functions below filter by tenant, and under Citus each shard indexes its own.
CREATE INDEX customer_search_grams_idx ON customer_search USING gin (name_grams);
CREATE INDEX customer_search_emails_idx ON customer_search USING gin (email_keys);

CREATE FUNCTION customer_search_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO customer_search (tenant_id, customer_id, seq, name_search, name_grams, email_keys)
  SELECT n.tenant_id, n.id, n.seq, n.name_search, search_grams(n.name_search), lower_all(n.emails) FROM new_rows n;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_search_insert();

CREATE FUNCTION customer_search_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE customer_search
     SET name_search = NEW.name_search, name_grams = search_grams(NEW.name_search), email_keys = lower_all(NEW.emails)
   WHERE tenant_id = NEW.tenant_id AND customer_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_search_update AFTER UPDATE OF name_search, emails ON customers
  FOR EACH ROW WHEN (OLD.name_search IS DISTINCT FROM NEW.name_search OR OLD.emails IS DISTINCT FROM NEW.emails)
  EXECUTE FUNCTION customer_search_update();

-- The customers of the current tenant whose search form contains p_text (p_grams: its grams,
-- see name.ts), after customer number p_after, in number order. EXECUTE plans each call with the
-- actual values, so that the planner sees how frequent the grams are.
CREATE FUNCTION customer_ids_by_name(p_grams text[], p_text text, p_after bigint, p_limit integer)
RETURNS TABLE (customer_id uuid, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT s.customer_id, s.seq FROM customer_search s
      WHERE s.tenant_id = $1 AND s.name_grams @> $2 AND strpos(s.name_search, $3) > 0 AND s.seq > $4
      ORDER BY s.seq LIMIT $5'
    USING app_tenant_id(), p_grams, p_text, coalesce(p_after, 0), p_limit;
END $$;

-- E-mail addresses are all but unique: every match, in no order (the caller sorts and pages).
-- With ORDER BY and LIMIT the planner, having no statistics for unique array elements, would
-- rather walk the tenant in number order than use the index.
CREATE FUNCTION customer_ids_by_email(p_email text, p_after bigint)
RETURNS TABLE (customer_id uuid, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT s.customer_id, s.seq FROM customer_search s
      WHERE s.tenant_id = $1 AND s.email_keys @> ARRAY[lower($2)] AND s.seq > $3'
    USING app_tenant_id(), p_email, coalesce(p_after, 0);
END $$;

REVOKE ALL ON FUNCTION customer_search_insert(), customer_search_update(),
  customer_ids_by_name(text[], text, bigint, integer), customer_ids_by_email(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION customer_ids_by_name(text[], text, bigint, integer),
  customer_ids_by_email(text, bigint) TO madoguchi_app;

-- 送付先: where a customer has goods sent besides the home address (gifts, office, family).
CREATE TABLE customer_addresses (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  label text CHECK (length(label) <= 50),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_kana text CHECK (length(name_kana) <= 100),
  postal_code text CHECK (postal_code ~ '^\d{3}-\d{4}$'),
  prefecture text CHECK (length(prefecture) <= 10),
  city text CHECK (length(city) <= 100),
  address1 text CHECK (length(address1) <= 200),
  address2 text CHECK (length(address2) <= 200),
  company text CHECK (length(company) <= 100),
  department text CHECK (length(department) <= 100),
  phone text CHECK (length(phone) <= 40),
  phone_e164 text,
  note text CHECK (length(note) <= 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (tenant_id, customer_id, created_at, id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customer_counters', 'customers', 'customer_phones', 'customer_addresses'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON customer_counters, customers TO madoguchi_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON customer_phones, customer_addresses TO madoguchi_app;

-- Japan Post's postal codes (from the jquery-jpostal-ja data set), the same for every tenant:
-- no tenant_id, no RLS, read-only for the application. Loaded by the server after start
-- (src/server/modules/postal/postal.loader.ts); postal_code_source says which data is in.
CREATE TABLE postal_codes (
  code text NOT NULL CHECK (code ~ '^\d{7}$'),
  ordinal smallint NOT NULL,
  prefecture text NOT NULL,
  city text NOT NULL,
  town text NOT NULL,
  street text NOT NULL DEFAULT '',
  office text NOT NULL DEFAULT '',
  prefecture_kana text NOT NULL DEFAULT '',
  city_kana text NOT NULL DEFAULT '',
  town_kana text NOT NULL DEFAULT '',
  PRIMARY KEY (code, ordinal)
);
CREATE TABLE postal_code_source (
  id integer PRIMARY KEY CHECK (id = 1),
  source text NOT NULL,
  records integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON postal_codes, postal_code_source TO madoguchi_app;
