import { api } from '../../api/client';

/** GET/POST/PATCH /telephony/integrations (docs/telephony.md "Twilio"). The auth token is write-only. */
export interface AgentAddress {
  address: string;
  agentId: string;
}

export interface Integration {
  id: string;
  provider: 'twilio';
  name: string;
  accountSid: string | null;
  agents: AgentAddress[];
  webhookUrl: string;
  enabled: boolean;
  lastEventAt: string | null;
  lastCallStatus: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IntegrationInput {
  name: string;
  accountSid: string | null;
  /** Omitted on an update: the token is kept. */
  authToken?: string;
  agents: AgentAddress[];
  enabled: boolean;
}

export const integrationsKey = ['telephony', 'integrations'] as const;

export function saveIntegration(id: string | null, input: IntegrationInput): Promise<Integration> {
  if (id) return api.patch<Integration>(`/telephony/integrations/${encodeURIComponent(id)}`, input);
  const { accountSid, ...rest } = input;
  return api.post<Integration>('/telephony/integrations', accountSid ? { ...rest, accountSid } : rest);
}

export function setIntegrationEnabled(id: string, enabled: boolean): Promise<Integration> {
  return api.patch<Integration>(`/telephony/integrations/${encodeURIComponent(id)}`, { enabled });
}

export function deleteIntegration(id: string): Promise<void> {
  return api.del<void>(`/telephony/integrations/${encodeURIComponent(id)}`);
}
