import { ChangeChecks } from './change-checks';

/** A statement the test answers by hand, recording what it was sent. */
function fakeDatabase() {
  const sent: Array<{ owners: string[]; since: Array<string | null>; answer(changed: boolean[], snapshot?: string): void; fail(e: Error): void }> = [];
  const run = (_sql: string, values: unknown[]) =>
    new Promise<unknown[][]>((resolve, reject) => {
      const [owners, since] = values as [string[], Array<string | null>];
      sent.push({ owners, since, answer: (changed, snapshot = 'snap') => resolve(changed.map((c, i) => [snapshot, String(i + 1), c])), fail: reject });
    });
  return { sent, run };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('ChangeChecks', () => {
  it('sends a lone check at once and answers it from its row', async () => {
    const db = fakeDatabase();
    const checks = new ChangeChecks(db.run, '"tracker"."owner_change"');
    const answer = checks.check('acme', '10:20:');
    await tick();
    expect(db.sent).toHaveLength(1);
    expect(db.sent[0].owners).toEqual(['acme']);
    db.sent[0].answer([true], '30:31:');
    await expect(answer).resolves.toEqual({ snapshot: '30:31:', changed: true });
  });

  it('never answers a check with a statement sent before it was asked: those asked meanwhile go out together next', async () => {
    const db = fakeDatabase();
    const checks = new ChangeChecks(db.run, 'log');
    const first = checks.check('a', 's1');
    await tick();
    const second = checks.check('b', 's2');
    const third = checks.check('a', null);
    await tick();
    // Still one statement: the later checks wait for it.
    expect(db.sent).toHaveLength(1);
    db.sent[0].answer([false]);
    await expect(first).resolves.toEqual({ snapshot: 'snap', changed: false });
    await tick();
    expect(db.sent).toHaveLength(2);
    expect(db.sent[1].owners).toEqual(['b', 'a']);
    expect(db.sent[1].since).toEqual(['s2', null]);
    db.sent[1].answer([true, false]);
    await expect(second).resolves.toEqual({ snapshot: 'snap', changed: true });
    await expect(third).resolves.toEqual({ snapshot: 'snap', changed: false });
  });

  it('fails only the checks of a statement that failed, and keeps checking', async () => {
    const db = fakeDatabase();
    const checks = new ChangeChecks(db.run, 'log');
    const failed = checks.check('a', 's');
    await tick();
    const next = checks.check('a', 's');
    db.sent[0].fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    await tick();
    db.sent[1].answer([false]);
    await expect(next).resolves.toEqual({ snapshot: 'snap', changed: false });
  });

  it('sends at most 256 checks in one statement', async () => {
    const db = fakeDatabase();
    const checks = new ChangeChecks(db.run, 'log');
    const blocker = checks.check('x', null);
    await tick();
    const many = Array.from({ length: 300 }, (_, i) => checks.check(`o${i}`, null));
    db.sent[0].answer([false]);
    await blocker;
    await tick();
    expect(db.sent[1].owners).toHaveLength(256);
    db.sent[1].answer(Array(256).fill(false));
    await tick();
    await tick();
    expect(db.sent[2].owners).toHaveLength(44);
    db.sent[2].answer(Array(44).fill(true));
    const answers = await Promise.all(many);
    expect(answers.filter((a) => a.changed)).toHaveLength(44);
  });
});
