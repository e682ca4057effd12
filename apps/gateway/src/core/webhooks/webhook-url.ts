import { registerDecorator, ValidationOptions } from 'class-validator';
import { MAX_WEBHOOK_URL_LENGTH } from '@asyncops/contracts';

export type WebhookUrlProblem = 'not-a-url' | 'scheme' | 'credentials' | 'fragment' | 'too-long';

/**
 * Only absolute http(s) URLs without credentials or fragment: other schemes (file:, ftp:,
 * javascript:, data:) are never fetched, and credentials in a URL would be stored and logged.
 */
export function webhookUrlProblem(value: unknown): WebhookUrlProblem | null {
  if (typeof value !== 'string') return 'not-a-url';
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return 'too-long';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not-a-url';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (!url.hostname) return 'not-a-url';
  if (url.username || url.password) return 'credentials';
  if (url.hash) return 'fragment';
  return null;
}

const MESSAGES: Record<WebhookUrlProblem, string> = {
  'not-a-url': 'must be an absolute URL',
  scheme: 'must use the http or https scheme',
  credentials: 'must not contain a user name or password',
  fragment: 'must not contain a #fragment',
  'too-long': `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`,
};

export function IsWebhookUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isHttpUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => webhookUrlProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'url'} ${MESSAGES[webhookUrlProblem(args?.value) ?? 'not-a-url']}`,
      },
    });
}
