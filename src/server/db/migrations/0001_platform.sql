-- Platform: the application role, tenants, users, sessions, API tokens, audit log, closing days.
-- Conventions (DESIGN.md §3): every tenant table has tenant_id leading its primary key and
-- indexes, and a FORCEd row-level-security policy on app.tenant_id.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'madoguchi_app') THEN
    CREATE ROLE madoguchi_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- The owner (the DATABASE_URL user) must be able to SET ROLE to it.
  IF NOT pg_has_role(current_user, 'madoguchi_app', 'MEMBER') THEN
    EXECUTE format('GRANT madoguchi_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO madoguchi_app;

-- The tenant of the current transaction, or NULL (then every policy below matches nothing).
CREATE FUNCTION app_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());
GRANT SELECT, UPDATE ON tenants TO madoguchi_app;

CREATE TABLE users (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'appointer', 'closer',
    'corporate_closer', 'technician', 'client_viewer')),
  locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  totp_secret text,
  totp_pending_secret text,
  totp_last_step bigint,
  recovery_code_hashes text[] NOT NULL DEFAULT '{}',
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- Sign-in is by e-mail alone, so an e-mail names one user across tenants.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_tenant_name_idx ON users (tenant_id, name, id);

CREATE TABLE sessions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash bytea NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_tenant_user_idx ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'appointer', 'closer',
    'corporate_closer', 'technician', 'client_viewer')),
  token_hash bytea NOT NULL,
  prefix text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_tenant_created_idx ON api_tokens (tenant_id, created_at DESC, id);

CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
  actor_id uuid,
  actor_label text,
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text,
  request_id text,
  ip text,
  detail jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_object_idx ON audit_log (tenant_id, object_type, object_id, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (tenant_id, actor_id, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (tenant_id, at DESC, id DESC);

-- Append-only, for every role including the owner.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE closing_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  date date NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 100),
  PRIMARY KEY (tenant_id, date)
);

-- Row-level security on every tenant table, FORCEd so that even the owner obeys it.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'sessions', 'api_tokens', 'audit_log', 'closing_days'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, api_tokens, closing_days TO madoguchi_app;
GRANT SELECT, INSERT ON audit_log TO madoguchi_app;

-- A non-superuser owner obeys FORCEd policies too. The auth look-ups below run as the owner
-- with app.auth_lookup set for their own duration only (a function SET clause): this policy,
-- for the owner role alone, lets exactly those functions read across tenants.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'users', 'sessions', 'api_tokens'] LOOP
    EXECUTE format('CREATE POLICY auth_lookup ON %I TO %I USING (current_setting(''app.auth_lookup'', true) = ''on'')',
      t, current_user);
  END LOOP;
END $$;

-- The only ways to reach rows before the tenant is known: look-ups by a secret's hash or by
-- e-mail for sign-in. SECURITY DEFINER (owner rights), narrow results, fixed search_path.
CREATE FUNCTION auth_session(p_token_hash bytea, p_idle interval)
RETURNS TABLE (tenant_id uuid, session_id uuid, user_id uuid, csrf_token text, email text, name text,
  role text, locale text, must_change_password boolean, totp_enabled boolean, tenant_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET app.auth_lookup = 'on' AS $$
BEGIN
  -- Keep the idle clock without a write per request: touch at most once a minute.
  UPDATE sessions s SET last_seen_at = now()
   WHERE s.token_hash = p_token_hash AND s.last_seen_at < now() - interval '1 minute'
     AND s.last_seen_at > now() - p_idle AND s.expires_at > now();
  RETURN QUERY
  SELECT s.tenant_id, s.id, u.id, s.csrf_token, u.email, u.name, u.role, u.locale,
         u.must_change_password, u.totp_secret IS NOT NULL, t.name
    FROM sessions s
    JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
    JOIN tenants t ON t.id = s.tenant_id
   WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND s.last_seen_at > now() - p_idle
     AND u.active AND (u.locked_until IS NULL OR u.locked_until < now());
END $$;

CREATE FUNCTION auth_api_token(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, token_id uuid, name text, role text, tenant_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET app.auth_lookup = 'on' AS $$
BEGIN
  UPDATE api_tokens a SET last_used_at = now()
   WHERE a.token_hash = p_token_hash AND a.revoked_at IS NULL
     AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute');
  RETURN QUERY
  SELECT a.tenant_id, a.id, a.name, a.role, t.name
    FROM api_tokens a JOIN tenants t ON t.id = a.tenant_id
   WHERE a.token_hash = p_token_hash AND a.revoked_at IS NULL;
END $$;

CREATE FUNCTION auth_login_candidate(p_email text)
RETURNS TABLE (tenant_id uuid, user_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.auth_lookup = 'on' AS $$
BEGIN
  RETURN QUERY SELECT u.tenant_id, u.id FROM users u WHERE lower(u.email) = lower(p_email);
END $$;

REVOKE ALL ON FUNCTION auth_session(bytea, interval), auth_api_token(bytea), auth_login_candidate(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_session(bytea, interval), auth_api_token(bytea), auth_login_candidate(text) TO madoguchi_app;
