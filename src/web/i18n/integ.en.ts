import type { integJa, integNavJa } from './integ.ja';

/** English strings of the telephony integrations (Twilio) admin screen; part of en.ts. */
export const integNavEn: typeof integNavJa = {
  integrations: 'Telephony',
};

export const integEn: typeof integJa = {
  integ: {
    title: 'Telephony integrations (Twilio)',
    lead: "Receives Twilio's call status callbacks and opens the caller's customer on ringing. Paste the webhook URL into the Status Callback URL (HTTP POST) of the Twilio number or TwiML app, with the events initiated, ringing, answered and completed.",
    create: 'New integration',
    createTitle: 'New telephony integration',
    editTitle: 'Edit telephony integration',
    edit: 'Edit',
    name: 'Name',
    provider: 'Provider',
    accountSid: 'Account SID',
    accountSidHint: 'Optional. When set, callbacks from any other account are refused.',
    authToken: 'Auth Token',
    authTokenHint: 'Never shown again once saved.',
    authTokenKeep: 'Leave empty to keep the current token (it is never shown).',
    authTokenLength: 'Enter at least 16 characters',
    accountSidFormat: 'Enter AC followed by 32 hex digits',
    webhookUrl: 'Webhook URL',
    status: 'Status',
    enabled: 'Enabled',
    disabled: 'Disabled',
    enabledLabel: 'Enabled (callbacks are refused while disabled)',
    agents: 'Agent mapping',
    agentsHint:
      'For each Twilio number (e.g. 050-1234-5678) or Client identity (client:alice), pick the agent who takes its calls.',
    agentsCount: '{{count}}',
    address: 'Number / client:name',
    agent: 'Agent',
    addAgent: 'Add mapping',
    removeAgent: 'Remove mapping',
    noAgents: "No mapping (no agent's screen pops)",
    lastEvent: 'Last received',
    lastEventNone: 'Nothing yet',
    lastEventStatus: '{{time}} ({{status}})',
    enable: 'Enable',
    disable: 'Disable',
    enabledDone: 'Integration enabled',
    disabledDone: 'Integration disabled',
    savedDone: 'Integration saved',
    remove: 'Delete',
    removeConfirm: 'Delete the integration "{{name}}"? Twilio\'s callbacks will no longer be accepted.',
    removedDone: 'Integration deleted',
    none: 'No telephony integration yet.',
  },
};
