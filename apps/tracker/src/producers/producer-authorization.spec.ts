import { UnauthorizedSenderError } from '@asyncops/messaging';
import { TrackerConfig } from '../config';
import { ProducerAuthorization } from './producer-authorization';
import { parseProducerBrokerUsers } from './producer-broker-users';

const authorization = (over: Partial<TrackerConfig> = {}) => new ProducerAuthorization(Object.assign(new TrackerConfig(), over));

describe('ProducerAuthorization', () => {
  it('lets guest report for any producer by default (a developer machine works unchanged)', () => {
    expect(() => authorization().check('guest', 'importer', 'op-1')).not.toThrow();
    expect(() => authorization().check(undefined, 'importer', 'op-1')).not.toThrow();
  });

  it('lets a broker user report only for the producers mapped to it', () => {
    const auth = authorization({ PRODUCER_BROKER_USERS: '{"importer":["importer"],"erp":["erp-sync","erp-batch"]}' });
    expect(() => auth.check('importer', 'importer', 'op-1')).not.toThrow();
    expect(() => auth.check('erp', 'erp-batch', 'op-1')).not.toThrow();
    expect(() => auth.check('erp', 'importer', 'op-1')).toThrow(UnauthorizedSenderError);
    expect(() => auth.check('guest', 'importer', 'op-1')).toThrow(/broker user "guest" may not report for producer "importer" \(operation op-1\)/);
  });

  it('tells when no lookup is needed: the user may report for every producer', () => {
    const auth = authorization({ PRODUCER_BROKER_USERS: '{"guest":["*"],"importer":["importer"]}' });
    expect(auth.mayReportForAny('guest')).toBe(true);
    expect(auth.mayReportForAny(undefined)).toBe(true);
    expect(auth.mayReportForAny('importer')).toBe(false);
    expect(auth.mayReportForAny('stranger')).toBe(false);
    expect(auth.restrictsAnyone).toBe(true);
    expect(authorization().restrictsAnyone).toBe(false);
    expect(authorization({ REQUIRE_BROKER_USER_ID: true }).mayReportForAny(undefined)).toBe(false);
  });

  it('rejects events without user_id once REQUIRE_BROKER_USER_ID is on', () => {
    expect(() => authorization({ REQUIRE_BROKER_USER_ID: true }).check(undefined, 'importer', 'op-1')).toThrow(/no user_id/);
  });
});

describe('parseProducerBrokerUsers', () => {
  it.each([
    ['not json', /must be a JSON object/],
    ['["guest"]', /must be a JSON object like/],
    ['{"guest":"*"}', /"guest" must map to an array/],
    ['{"guest":[""]}', /"guest" must map to an array/],
  ])('explains what is wrong with %s', (raw, problem) => {
    expect(parseProducerBrokerUsers(raw).problems.join('; ')).toMatch(problem);
  });
});
