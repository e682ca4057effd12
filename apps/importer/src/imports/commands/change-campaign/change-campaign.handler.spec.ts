import { cursorAfter } from './change-campaign.handler';

describe('campaign change cursor', () => {
  it('moves to the highest id the batch changed, whatever order the database returned them in', () => {
    expect(cursorAfter([{ id: 'b' }, { id: 'c' }, { id: 'a' }], null)).toBe('c');
  });

  it('stays where it was when the batch changed nothing', () => {
    expect(cursorAfter([], 'k')).toBe('k');
    expect(cursorAfter([], null)).toBeNull();
  });
});
