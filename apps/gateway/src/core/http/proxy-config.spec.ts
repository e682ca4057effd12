import { loadConfig } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { normalisePublicBaseUrl, parseTrustProxy, publicBaseUrlProblems } from './proxy-config';

describe('TRUST_PROXY', () => {
  it.each([
    ['', false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7 ,fd00::/8,loopback', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'loopback']],
  ])('reads %j', (raw, value) => {
    expect(parseTrustProxy(raw)).toEqual({ value });
  });

  it.each(['0', '11', 'true', '*', '10.0.0.0/33', 'fd00::/129', 'proxy.example.com', '10.0.0.1,'])('refuses %j, saying what to write', (raw) => {
    expect(parseTrustProxy(raw).problem).toMatch(/^TRUST_PROXY: .*(hop count|loopback)/);
  });
});

describe('PUBLIC_BASE_URL', () => {
  const env = (PUBLIC_BASE_URL: string, NODE_ENV = 'development') => ({ PUBLIC_BASE_URL, NODE_ENV, TRUST_PROXY: '' });

  it('is optional outside production and required, over https, in production', () => {
    expect(publicBaseUrlProblems(env(''))).toEqual([]);
    expect(publicBaseUrlProblems(env('http://127.0.0.1:3000'))).toEqual([]);
    expect(publicBaseUrlProblems(env('', 'production'))).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: must be set in production/)]);
    expect(publicBaseUrlProblems(env('http://api.example.com', 'production'))).toEqual([expect.stringMatching(/must be https in production/)]);
    expect(publicBaseUrlProblems(env('https://api.example.com/prefix', 'production'))).toEqual([]);
  });

  it('refuses what is not a plain base URL', () => {
    expect(publicBaseUrlProblems(env('api.example.com'))).toEqual([expect.stringMatching(/absolute URL/)]);
    expect(publicBaseUrlProblems(env('ftp://api.example.com'))).toEqual([expect.stringMatching(/http or https/)]);
    expect(publicBaseUrlProblems(env('https://u:p@api.example.com/?x=1'))).toEqual([expect.stringMatching(/query, a fragment or credentials/)]);
  });

  it('drops trailing slashes', () => {
    expect(normalisePublicBaseUrl(' https://api.example.com/base/ ')).toBe('https://api.example.com/base');
    expect(normalisePublicBaseUrl('')).toBeUndefined();
  });

  it('is part of the gateway config validation', () => {
    expect(() => loadConfig('gateway', GatewayConfig, { TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});
