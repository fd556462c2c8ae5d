/**
 * Server-side messages (errors, validation, mail) in Japanese and English. `ja` is the source of
 * the keys; `en` must have every one of them (the type enforces it). A module keeps its own in
 * `<module>.messages.ts` (`export const ja = {…} as const; export const en: Record<keyof typeof ja, string>`)
 * and is merged into MODULE_MESSAGES below.
 */
import { en as casesEn, ja as casesJa } from '../../modules/cases/cases.messages.js';
import { en as catalogueEn, ja as catalogueJa } from '../../modules/catalogue/catalogue.messages.js';
import { en as customersEn, ja as customersJa } from '../../modules/customers/customers.messages.js';
import { en as duplicatesEn, ja as duplicatesJa } from '../../modules/duplicates/duplicates.messages.js';
import { en as faqEn, ja as faqJa } from '../../modules/faq/faq.messages.js';
import { en as interactionsEn, ja as interactionsJa } from '../../modules/interactions/interactions.messages.js';
import { en as karteEn, ja as karteJa } from '../../modules/karte/karte.messages.js';
import { en as notificationsEn, ja as notificationsJa } from '../../modules/notifications/notifications.messages.js';
import { en as ordimpEn, ja as ordimpJa } from '../../modules/order-import/order-import.messages.js';
import { en as ordersEn, ja as ordersJa } from '../../modules/orders/orders.messages.js';
import { en as paymentsEn, ja as paymentsJa } from '../../modules/payments/payments.messages.js';
import { en as ranksEn, ja as ranksJa } from '../../modules/ranks/ranks.messages.js';
import { en as reportsEn, ja as reportsJa } from '../../modules/reports/reports.messages.js';
import { en as returnsEn, ja as returnsJa } from '../../modules/returns/returns.messages.js';
import { en as shippingEn, ja as shippingJa } from '../../modules/shipping/shipping.messages.js';
import { en as subscriptionsEn, ja as subscriptionsJa } from '../../modules/subscriptions/subscriptions.messages.js';
import { en as telephonyEn, ja as telephonyJa } from '../../modules/telephony/telephony.messages.js';

const platformJa = {
  'error.title.bad_request': 'リクエストが不正です',
  'error.title.validation': '入力内容に誤りがあります',
  'error.title.unauthorized': '認証が必要です',
  'error.title.forbidden': 'この操作を行う権限がありません',
  'error.title.not_found': '見つかりません',
  'error.title.conflict': '競合が発生しました',
  'error.title.precondition_failed': 'データが他の操作で更新されています',
  'error.title.payload_too_large': 'データが大きすぎます',
  'error.title.unsupported_media_type': 'この形式のデータは受け付けられません',
  'error.title.locked': 'アカウントがロックされています',
  'error.title.too_many_requests': 'リクエストが多すぎます',
  'error.title.unprocessable': '処理できない内容です',
  'error.title.internal': 'サーバーでエラーが発生しました',
  'error.title.unavailable': 'サービスを利用できません',
  'error.detail.invalid_json': 'JSON の形式が正しくありません。',
  'error.detail.body_too_large': '送信データが上限 ({limit} バイト) を超えています。',
  'error.detail.unsupported_media_type': 'Content-Type「{type}」は受け付けられません。',
  'error.detail.route_not_found': '{method} {path} というAPIはありません。',
  'error.detail.not_found': '指定された{object}は見つかりません。',
  'error.detail.unauthenticated': 'サインインするか、有効な API トークンを指定してください。',
  'error.detail.forbidden_role': 'ロール「{role}」にはこの操作の権限がありません。',
  'error.detail.csrf': 'CSRF トークンがないか正しくありません。画面を再読み込みしてください。',
  'error.detail.validation': '{count} 件の項目に誤りがあります。',
  'error.detail.stale': '読み込んだ後に他の人が更新しました。再読み込みしてからやり直してください。',
  'error.detail.internal': '時間をおいて再度お試しください。解決しない場合はリクエスト ID を管理者に伝えてください。',
  'error.detail.rate_limited': 'しばらく待ってから再度お試しください。',
  'auth.invalid_credentials': 'メールアドレスまたはパスワードが正しくありません。',
  'auth.totp_required': '二要素認証のコードを入力してください。',
  'auth.totp_invalid': '二要素認証のコードが正しくありません。',
  'auth.locked': 'サインインの失敗が続いたため、{until} までロックされています。',
  'auth.inactive': 'このアカウントは無効になっています。',
  'auth.wrong_password': '現在のパスワードが正しくありません。',
  'auth.password_reused': '新しいパスワードは現在のものと異なるものにしてください。',
  'auth.totp_not_pending': '先に二要素認証の設定を開始してください。',
  'auth.totp_not_enabled': '二要素認証が有効になっていません。',
  'auth.session_required': 'この操作はブラウザでサインインしている時のみ行えます。',
  'users.email_taken': 'このメールアドレスは既に使われています。',
  'users.self_demote': '自分自身の管理者権限や有効状態は変更できません。',
  'validation.required': '必須項目です。',
  'validation.invalid_type': '形式が正しくありません。',
  'validation.too_short': '{minimum} 文字以上で入力してください。',
  'validation.too_long': '{maximum} 文字以内で入力してください。',
  'validation.too_small': '{minimum} 以上の値を入力してください。',
  'validation.too_big': '{maximum} 以下の値を入力してください。',
  'validation.invalid_email': 'メールアドレスの形式が正しくありません。',
  'validation.invalid_date': '日付は YYYY-MM-DD の形式で入力してください。',
  'validation.invalid_value': '選択できない値です: {options}',
  'validation.unrecognized_keys': '不明な項目です: {keys}',
  'validation.invalid': '入力値が正しくありません。',
  'mail.password_reset.subject': '【{tenant}】Madoguchi のパスワードがリセットされました',
  'mail.password_reset.body':
    '{name} 様\n\n管理者があなたの Madoguchi のパスワードをリセットしました。\n新しいパスワードは管理者から受け取り、次のサインイン時に変更してください。\n{url}\n\n心当たりがない場合は、すぐに管理者へ連絡してください。',
  'object.user': 'ユーザー',
  'object.token': 'APIトークン',
  'object.tenant': 'テナント',
  'object.resource': 'データ',
} as const;

type PlatformKey = keyof typeof platformJa;

const platformEn: Record<PlatformKey, string> = {
  'error.title.bad_request': 'Bad request',
  'error.title.validation': 'Some fields are invalid',
  'error.title.unauthorized': 'Authentication required',
  'error.title.forbidden': 'You are not allowed to do this',
  'error.title.not_found': 'Not found',
  'error.title.conflict': 'Conflict',
  'error.title.precondition_failed': 'The data was changed by someone else',
  'error.title.payload_too_large': 'Payload too large',
  'error.title.unsupported_media_type': 'Unsupported media type',
  'error.title.locked': 'Account locked',
  'error.title.too_many_requests': 'Too many requests',
  'error.title.unprocessable': 'Unprocessable content',
  'error.title.internal': 'Internal server error',
  'error.title.unavailable': 'Service unavailable',
  'error.detail.invalid_json': 'The body is not valid JSON.',
  'error.detail.body_too_large': 'The body exceeds the limit of {limit} bytes.',
  'error.detail.unsupported_media_type': 'Content-Type "{type}" is not accepted.',
  'error.detail.route_not_found': 'There is no API {method} {path}.',
  'error.detail.not_found': 'The {object} was not found.',
  'error.detail.unauthenticated': 'Sign in, or send a valid API token.',
  'error.detail.forbidden_role': 'The role "{role}" may not do this.',
  'error.detail.csrf': 'The CSRF token is missing or wrong. Reload the page.',
  'error.detail.validation': '{count} field(s) are invalid.',
  'error.detail.stale': 'Someone changed this after you loaded it. Reload and try again.',
  'error.detail.internal': 'Try again later. If it persists, give the request id to your administrator.',
  'error.detail.rate_limited': 'Wait a moment and try again.',
  'auth.invalid_credentials': 'The e-mail address or password is wrong.',
  'auth.totp_required': 'Enter your two-factor authentication code.',
  'auth.totp_invalid': 'The two-factor authentication code is wrong.',
  'auth.locked': 'Locked after repeated failed sign-ins until {until}.',
  'auth.inactive': 'This account is deactivated.',
  'auth.wrong_password': 'The current password is wrong.',
  'auth.password_reused': 'Choose a new password different from the current one.',
  'auth.totp_not_pending': 'Start the two-factor set-up first.',
  'auth.totp_not_enabled': 'Two-factor authentication is not enabled.',
  'auth.session_required': 'This can only be done while signed in with a browser.',
  'users.email_taken': 'This e-mail address is already in use.',
  'users.self_demote': 'You cannot change your own admin role or active state.',
  'validation.required': 'Required.',
  'validation.invalid_type': 'Wrong format.',
  'validation.too_short': 'Enter at least {minimum} characters.',
  'validation.too_long': 'Enter at most {maximum} characters.',
  'validation.too_small': 'Enter {minimum} or more.',
  'validation.too_big': 'Enter {maximum} or less.',
  'validation.invalid_email': 'Not a valid e-mail address.',
  'validation.invalid_date': 'Enter a date as YYYY-MM-DD.',
  'validation.invalid_value': 'Not one of the allowed values: {options}',
  'validation.unrecognized_keys': 'Unknown field(s): {keys}',
  'validation.invalid': 'Invalid value.',
  'mail.password_reset.subject': '[{tenant}] Your Madoguchi password was reset',
  'mail.password_reset.body':
    'Dear {name},\n\nAn administrator reset your Madoguchi password.\nGet the new password from your administrator and change it when you next sign in.\n{url}\n\nIf you did not expect this, contact your administrator at once.',
  'object.user': 'user',
  'object.token': 'API token',
  'object.tenant': 'tenant',
  'object.resource': 'resource',
};

// Modules' messages: import a module's file and spread its `ja` and `en` here, one line each.
const moduleJa = {
  ...customersJa,
  ...interactionsJa,
  ...telephonyJa,
  ...reportsJa,
  ...karteJa,
  ...ranksJa,
  ...ordersJa,
  ...ordimpJa,
  ...paymentsJa,
  ...returnsJa,
  ...subscriptionsJa,
  ...shippingJa,
  ...catalogueJa,
  ...duplicatesJa,
  ...casesJa,
  ...notificationsJa,
  ...faqJa,
};
const moduleEn: Record<keyof typeof moduleJa, string> = {
  ...customersEn,
  ...interactionsEn,
  ...telephonyEn,
  ...reportsEn,
  ...karteEn,
  ...ranksEn,
  ...ordersEn,
  ...ordimpEn,
  ...paymentsEn,
  ...returnsEn,
  ...subscriptionsEn,
  ...shippingEn,
  ...catalogueEn,
  ...duplicatesEn,
  ...casesEn,
  ...notificationsEn,
  ...faqEn,
};

export type MessageKey = PlatformKey | keyof typeof moduleJa;
export const ja: Record<MessageKey, string> = { ...platformJa, ...moduleJa };
export const en: Record<MessageKey, string> = { ...platformEn, ...moduleEn };

export type Locale = 'ja' | 'en';
export type MessageParams = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = (locale === 'en' ? en : ja)[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The request's language from Accept-Language (q-values honoured): en or ja, Japanese by default. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'ja';
  let best: { locale: Locale; q: number } = { locale: 'ja', q: -1 };
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...rest] = part.trim().toLowerCase().split(';');
    const qParam = rest.find((r) => r.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const locale = tag.startsWith('en') ? 'en' : tag.startsWith('ja') ? 'ja' : null;
    if (locale && Number.isFinite(q) && q > best.q) best = { locale, q };
  }
  return best.locale;
}
