import { ReadAhead } from './read-ahead';

describe('ReadAhead', () => {
  it('hands a started result to the first taker only', async () => {
    const ra = new ReadAhead<number>();
    ra.start('a', async () => 1);
    expect(await ra.take('a')).toBe(1);
    expect(await ra.take('a')).toBeUndefined();
    expect(await ra.take('never-started')).toBeUndefined();
  });

  it('turns a failed read-ahead into no answer, so the taker does the work itself', async () => {
    const ra = new ReadAhead<number>();
    ra.start('a', async () => {
      throw new Error('file rejected');
    });
    expect(await ra.take('a')).toBeUndefined();
  });

  it('keeps only the newest entries and forgets old ones', async () => {
    const ra = new ReadAhead<number>(2, 1000);
    ra.start('a', async () => 1);
    ra.start('b', async () => 2);
    ra.start('c', async () => 3);
    expect(await ra.take('a')).toBeUndefined();
    expect(await ra.take('c')).toBe(3);
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 5000);
    try {
      expect(await ra.take('b')).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });
});
