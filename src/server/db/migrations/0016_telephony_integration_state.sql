-- Issue 4 follow-up (the admin screen of PBX integrations): an integration can be switched off
-- without losing its token and agent map, and it shows when its webhook last got through, so an
-- admin can tell a working Twilio set-up from one whose callbacks never arrive.
ALTER TABLE telephony_integrations
  ADD COLUMN enabled boolean NOT NULL DEFAULT true,
  -- The last callback that passed the signature check, and its CallStatus as Twilio sent it.
  ADD COLUMN last_event_at timestamptz,
  ADD COLUMN last_call_status text CHECK (length(last_call_status) <= 32);

GRANT SELECT (enabled, last_event_at, last_call_status) ON telephony_integrations TO madoguchi_app;

-- A switched-off integration is unknown to the webhook (404, no screen pop).
CREATE OR REPLACE FUNCTION telephony_twilio_integration(p_id uuid)
RETURNS TABLE (tenant_id uuid, auth_token text, account_sid text, agents jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.auth_lookup = 'on' AS $$
BEGIN
  RETURN QUERY
  SELECT i.tenant_id, i.auth_token, i.account_sid, i.agents
    FROM telephony_integrations i
   WHERE i.id = p_id AND i.provider = 'twilio' AND i.enabled;
END $$;
