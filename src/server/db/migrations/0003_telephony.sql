-- Telephony (issue 4): cloud PBX integrations whose webhooks feed the screen pop. Screen-pop
-- events themselves are not stored: they travel in memory and, between servers, by NOTIFY.

-- One row per PBX account an admin connects (Twilio today). The webhook carries no bearer token:
-- it is authenticated by the provider's signature, made with auth_token, which is therefore kept
-- as given (it must be usable as an HMAC key) and is write-only for the application role: the
-- role may insert and update it but never select it; only the SECURITY DEFINER look-up below,
-- which the webhook uses, reads it.
CREATE TABLE telephony_integrations (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  provider text NOT NULL CHECK (provider IN ('twilio')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  account_sid text CHECK (account_sid ~ '^AC[0-9a-f]{32}$'),
  auth_token text NOT NULL CHECK (length(auth_token) BETWEEN 16 AND 256),
  -- [{ "address": "+81501234567" | "client:alice", "agentId": "…" }]: which agent a number or
  -- client identity of the account belongs to.
  agents jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(agents) = 'array'),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX telephony_integrations_tenant_name_idx ON telephony_integrations (tenant_id, name, id);
-- The webhook URL names the integration alone (the tenant is not known before the look-up), like
-- api_tokens_hash_key serves the token look-up.
CREATE UNIQUE INDEX telephony_integrations_id_key ON telephony_integrations (id);

ALTER TABLE telephony_integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE telephony_integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON telephony_integrations
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT (tenant_id, id, provider, name, account_sid, agents, created_by, created_at, updated_at),
  INSERT, UPDATE, DELETE ON telephony_integrations TO madoguchi_app;

-- The owner reads across tenants only inside the look-up function (app.auth_lookup, as 0001).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY auth_lookup ON telephony_integrations TO %I '
    'USING (current_setting(''app.auth_lookup'', true) = ''on'')', current_user);
END $$;

-- The webhook's look-up: the integration's tenant, secret and agent map, by the id in its URL.
CREATE FUNCTION telephony_twilio_integration(p_id uuid)
RETURNS TABLE (tenant_id uuid, auth_token text, account_sid text, agents jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.auth_lookup = 'on' AS $$
BEGIN
  RETURN QUERY
  SELECT i.tenant_id, i.auth_token, i.account_sid, i.agents
    FROM telephony_integrations i
   WHERE i.id = p_id AND i.provider = 'twilio';
END $$;

REVOKE ALL ON FUNCTION telephony_twilio_integration(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION telephony_twilio_integration(uuid) TO madoguchi_app;
