import { teardownWithin } from './teardown';

describe('teardownWithin', () => {
  it('runs every step in order', async () => {
    const ran: string[] = [];
    await teardownWithin(1000, [
      ['a', () => ran.push('a')],
      ['b', async () => ran.push('b')],
    ]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('fails naming the step that hangs, and still runs the ones after it', async () => {
    const ran: string[] = [];
    await expect(
      teardownWithin(100, [
        ['stop gateway', () => new Promise(() => undefined)],
        ['drop database', () => ran.push('drop')],
      ]),
    ).rejects.toThrow(/"stop gateway" did not finish within the 100 ms/);
    expect(ran).toEqual(['drop']);
  });

  it('reports a failing step after running the rest', async () => {
    const ran: string[] = [];
    await expect(
      teardownWithin(1000, [
        ['broken', () => Promise.reject(new Error('boom'))],
        ['next', () => ran.push('next')],
      ]),
    ).rejects.toThrow(/boom/);
    expect(ran).toEqual(['next']);
  });
});
