import { ChangeHorizon } from './change-horizon';

describe('ChangeHorizon', () => {
  it('answers nothing until an observation is at least the retention old', () => {
    let now = 0;
    const h = new ChangeHorizon(1000, () => now);
    expect(h.observe('10')).toBeUndefined();
    now = 999;
    expect(h.observe('20')).toBeUndefined();
    now = 1000;
    expect(h.observe('30')).toBe('10');
  });

  it('answers the newest observation old enough, never a younger one', () => {
    let now = 0;
    const h = new ChangeHorizon(1000, () => now);
    h.observe('10');
    now = 400;
    h.observe('20');
    now = 900;
    h.observe('30');
    now = 1450;
    expect(h.observe('40')).toBe('20');
    now = 1899;
    expect(h.observe('50')).toBe('20');
    now = 1900;
    expect(h.observe('60')).toBe('30');
  });

  it('keeps only what it can still answer', () => {
    let now = 0;
    const h = new ChangeHorizon(10, () => now);
    for (let i = 0; i < 1000; i++) {
      now = i;
      h.observe(String(i));
    }
    expect((h as unknown as { observed: unknown[] }).observed.length).toBeLessThanOrEqual(12);
  });
});
