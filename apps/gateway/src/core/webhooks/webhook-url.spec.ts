import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateWebhookDto } from './webhooks.dto';
import { webhookUrlProblem } from './webhook-url';

describe('webhookUrlProblem', () => {
  it.each(['https://hooks.example.com/asyncops', 'http://127.0.0.1:8080/hook?x=1', 'https://[::1]/h'])('accepts %s', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each([
    ['ftp://example.com/hook', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['data:text/plain,hi', 'scheme'],
    ['mailto:a@example.com', 'scheme'],
    ['example.com/hook', 'not-a-url'],
    ['/relative/hook', 'not-a-url'],
    ['', 'not-a-url'],
    [42, 'not-a-url'],
    ['https://user:pw@example.com/hook', 'credentials'],
    ['https://example.com/hook#x', 'fragment'],
    [`https://example.com/${'a'.repeat(2001)}`, 'too-long'],
  ])('refuses %p (%s)', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});

describe('CreateWebhookDto', () => {
  const errorsOf = (body: Record<string, unknown>) =>
    validateSync(plainToInstance(CreateWebhookDto, body), { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) =>
      Object.keys(e.constraints ?? {}).map((rule) => `${e.property}:${rule}`),
    );

  it('accepts a valid registration', () => {
    expect(errorsOf({ url: 'https://example.com/h', events: ['finished', 'failed'], jobType: 'PlaceOrder' })).toEqual([]);
  });

  it('names url and the rule for a non-http(s) URL', () => {
    expect(errorsOf({ url: 'ftp://example.com/h', events: ['finished'] })).toEqual(['url:isHttpUrl']);
  });

  it('refuses unknown events, an empty list and a bad operation id', () => {
    expect(errorsOf({ url: 'https://example.com/h', events: ['done'] })).toEqual(['events:isIn']);
    expect(errorsOf({ url: 'https://example.com/h', events: [] })).toEqual(['events:arrayMinSize']);
    expect(errorsOf({ url: 'https://example.com/h', events: ['progress'], operationId: 'x' })).toEqual(['operationId:isUuid']);
  });
});
