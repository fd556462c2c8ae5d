// Messages of the telephony module (screen pop, PBX integrations), merged in platform/i18n/messages.ts.
export const ja = {
  'telephony.invalid_signature':
    'Twilio の署名 (X-Twilio-Signature) が正しくありません。連携の認証トークンと URL を確認してください。',
  'telephony.account_mismatch': 'この連携に登録された Twilio アカウントからの通知ではありません。',
  'telephony.invalid_agent_address': '電話番号か「client:名前」の形式で入力してください。',
  'object.telephony_integration': '電話連携',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'telephony.invalid_signature':
    "Twilio's signature (X-Twilio-Signature) does not match. Check the integration's auth token and URL.",
  'telephony.account_mismatch': 'The callback does not come from the Twilio account of this integration.',
  'telephony.invalid_agent_address': 'Enter a phone number or a client identity as client:name.',
  'object.telephony_integration': 'telephony integration',
};
