import { LookupAddress } from 'node:dns';
import { forbiddenAddressReason, ForbiddenTargetError, guardedLookup, webhookTargetConfigProblems, webhookTargetProblem } from './target-address';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.100.1.1', 'cgnat'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:101::1', 'private'],
  ])('refuses %s as %s', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (ip) => {
    expect(forbiddenAddressReason(ip)).toBeNull();
  });
});

describe('guardedLookup', () => {
  const fakeDns = (answers: string[]) =>
    ((_host: string, _opts: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) =>
      cb(null, answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as never;

  it('hands the socket the checked address, and refuses a host with any forbidden answer', (done) => {
    guardedLookup(false, fakeDns(['93.184.216.34']))('example.test', {}, (err, address) => {
      expect(err).toBeNull();
      expect(address).toBe('93.184.216.34');
      guardedLookup(false, fakeDns(['93.184.216.34', '10.0.0.1']))('rebind.test', {}, (err2) => {
        expect(err2).toBeInstanceOf(ForbiddenTargetError);
        expect((err2 as unknown as ForbiddenTargetError).reason).toBe('private');
        done();
      });
    });
  });

  it('lets private answers through only when allowed', (done) => {
    guardedLookup(true, fakeDns(['127.0.0.1']))('localhost', { all: true }, (err, addresses) => {
      expect(err).toBeNull();
      expect(addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
      done();
    });
  });
});

describe('webhookTargetProblem', () => {
  it('judges literal addresses and resolved names alike', async () => {
    await expect(webhookTargetProblem('http://169.254.169.254/latest/meta-data', false)).resolves.toBe('link-local');
    await expect(webhookTargetProblem('http://[::ffff:127.0.0.1]:8080/', false)).resolves.toBe('loopback');
    await expect(webhookTargetProblem('http://internal.test/', false, ((_h: string, _o: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) => cb(null, [{ address: '10.0.0.5', family: 4 }])) as never)).resolves.toBe('private');
    await expect(webhookTargetProblem('http://127.0.0.1/', true)).resolves.toBeNull();
  });
});

describe('webhookTargetConfigProblems', () => {
  it('refuses WEBHOOK_ALLOW_PRIVATE_TARGETS=true in production only', () => {
    expect(webhookTargetConfigProblems({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([expect.stringMatching(/^WEBHOOK_ALLOW_PRIVATE_TARGETS: must not be true in production/)]);
    expect(webhookTargetConfigProblems({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' })).toEqual([]);
    expect(webhookTargetConfigProblems({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([]);
  });
});
