import { EMPTY_FILTERS, filtersFromSearch, filtersToApiQuery, filtersToSearch, matchesFilters } from './filters';

describe('operation filters', () => {
  it('round-trips through the page query string', () => {
    const f = { status: ['InProgress', 'Failure'], jobType: ['PlaceOrder'], from: '2026-01-01T10:00', to: '', correlationIdentifier: 'cart-7' };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersToSearch(EMPTY_FILTERS)).toBe('');
  });

  it('builds the list route query with ISO instants', () => {
    const q = filtersToApiQuery({ ...EMPTY_FILTERS, status: ['Completed'], from: '2026-01-01T10:00', correlationIdentifier: ' x ' });
    expect(q.get('status')).toBe('Completed');
    expect(q.get('submittedFrom')).toBe(new Date('2026-01-01T10:00').toISOString());
    expect(q.get('correlationIdentifier')).toBe('x');
    expect(q.has('submittedTo')).toBe(false);
  });

  it('checks a new operation against the filters as the API would', () => {
    const o = { status: 'InProgress', jobType: 'PlaceOrder', submittedAt: new Date('2026-01-01T12:00').toISOString(), correlationIdentifier: 'c1' };
    expect(matchesFilters(o, EMPTY_FILTERS)).toBe(true);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, status: ['Failure'] })).toBe(false);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, jobType: ['VOUCHERS.IMPORT_CSV'] })).toBe(false);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, from: '2026-01-01T13:00' })).toBe(false);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, to: '2026-01-01T11:00' })).toBe(false);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, correlationIdentifier: 'c2' })).toBe(false);
    expect(matchesFilters(o, { ...EMPTY_FILTERS, correlationIdentifier: 'c1', status: ['InProgress'] })).toBe(true);
  });
});
