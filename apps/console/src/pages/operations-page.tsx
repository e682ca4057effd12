import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { VirtualList } from '../components/virtual-list';
import { formatTime, useConsole, useNow, useStoreRevision } from '../context';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, KNOWN_STATUSES, matchesFilters, type OperationFilters } from '../filters';
import { formatCount, statusLabel } from '../progress';
import { byNumberDesc } from '../operation-store';
import { Link, navigate } from '../router';

const PAGE_SIZE = 200;
/** New operations fetched at once, and at most waiting, when the live stream names ones not loaded. */
const FETCH_CONCURRENCY = 4;
const MAX_QUEUED = 500;

const NARROW = '(max-width: 700px)';

/** Whether the screen is narrow: rows become cards and the filters fold away. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const m = window.matchMedia(NARROW);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

type OpenApiParam = { name: string; schema?: { enum?: string[]; items?: { enum?: string[] } } };

/**
 * Statuses and job types for the filters, from the API document, so the choices never drift from
 * what the API accepts (a status added later shows up here without a console change).
 */
function useFilterChoices(): { statuses: string[]; jobTypes: string[] } {
  const [choices, setChoices] = useState({ statuses: KNOWN_STATUSES, jobTypes: [] as string[] });
  useEffect(() => {
    fetch('/api/openapi.json')
      .then((r) => (r.ok ? r.json() : null))
      .then((doc: { paths?: Record<string, { get?: { parameters?: OpenApiParam[] } }> } | null) => {
        const params = doc?.paths?.['/api/v1/operations']?.get?.parameters ?? [];
        const values = (name: string) => {
          const p = params.find((x) => x.name === name);
          return p?.schema?.items?.enum ?? p?.schema?.enum ?? [];
        };
        const statuses = values('status');
        setChoices({ statuses: statuses.length ? statuses : KNOWN_STATUSES, jobTypes: values('jobType') });
      })
      .catch(() => undefined);
  }, []);
  return choices;
}

export function OperationsPage({ search }: { search: string }) {
  const { api, store, unknownListeners } = useConsole();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [draft, setDraft] = useState<OperationFilters>(filters);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const { statuses, jobTypes } = useFilterChoices();
  const narrow = useNarrow();
  // Row height follows the layout: one line on a wide screen, a card on a narrow one.
  const rowHeight = narrow ? 156 : 84;
  const now = useNow();
  useStoreRevision(store);
  const generation = useRef(0);
  const loadingRef = useRef(false);

  const loadPage = useCallback(
    async (gen: number, after: string | null) => {
      if (loadingRef.current) return;
      loadingRef.current = true;
      setLoading(true);
      try {
        const page = await api.listOperations(filtersToApiQuery(filters), PAGE_SIZE, after);
        if (gen !== generation.current) return;
        store.appendPage(page.data);
        setCursor(page.nextCursor);
        setHasMore(page.hasMore);
        setError(null);
      } catch (e) {
        if (gen === generation.current) setError(e instanceof ApiError ? e.message : 'The operations could not be loaded.');
      } finally {
        loadingRef.current = false;
        if (gen === generation.current) {
          setLoading(false);
          setLoaded(true);
        }
      }
    },
    [api, store, filters],
  );

  // New filters: a new list from the first page.
  useEffect(() => {
    setDraft(filters);
    generation.current++;
    loadingRef.current = false;
    store.resetList();
    setCursor(null);
    setHasMore(false);
    setLoaded(false);
    void loadPage(generation.current, null);
  }, [filters]);

  // Operations the live stream names that are not listed: fetched (a few at a time) and listed
  // when they match the filters and are newer than the last loaded row or all pages are loaded.
  const hasMoreRef = useRef(hasMore);
  hasMoreRef.current = hasMore;
  useEffect(() => {
    const queue: string[] = [];
    const queued = new Set<string>();
    const settled = new Set<string>();
    let running = 0;
    let stopped = false;
    const pump = () => {
      while (!stopped && running < FETCH_CONCURRENCY && queue.length) {
        const id = queue.shift() as string;
        running++;
        api
          .getOperation(id)
          .then((op) => {
            if (stopped) return;
            settled.add(id);
            const last = store.at(store.size - 1);
            const newer = !last || byNumberDesc(op, last) < 0;
            if (matchesFilters(op, filters) && (newer || !hasMoreRef.current)) store.insertListed(op);
            else store.upsert(op);
          })
          .catch(() => settled.add(id))
          .finally(() => {
            running--;
            queued.delete(id);
            pump();
          });
      }
    };
    const onUnknown = (ids: string[]) => {
      for (const id of ids) {
        if (queued.has(id) || settled.has(id) || store.isListed(id) || queue.length >= MAX_QUEUED) continue;
        queued.add(id);
        queue.push(id);
      }
      pump();
    };
    unknownListeners.add(onUnknown);
    return () => {
      stopped = true;
      unknownListeners.delete(onUnknown);
    };
  }, [api, store, filters]);

  const onNearEnd = useCallback(() => {
    if (hasMore && cursor && !loadingRef.current) void loadPage(generation.current, cursor);
  }, [hasMore, cursor, loadPage]);

  const apply = (e: Event) => {
    e.preventDefault();
    navigate(`/operations${filtersToSearch(draft)}`);
  };
  const toggleStatus = (s: string, on: boolean) => setDraft({ ...draft, status: on ? [...draft.status, s] : draft.status.filter((x) => x !== s) });
  const active = filtersToSearch(filters) !== '';

  return (
    <section class="operations-page">
      <h1>Operations</h1>
      <details class="filters-box" open={!narrow || active}>
        <summary>Filters{active ? ' (active)' : ''}</summary>
        <form class="filters" onSubmit={apply} aria-label="Filter operations">
          <fieldset>
            <legend>Status</legend>
            {[...new Set([...statuses, ...draft.status])].map((s) => (
              <label class="check" key={s}>
                <input type="checkbox" name="status" value={s} checked={draft.status.includes(s)} onChange={(e) => toggleStatus(s, e.currentTarget.checked)} />
                {statusLabel(s)}
              </label>
            ))}
          </fieldset>
          <label>
            Job type
            <select name="jobType" value={draft.jobType[0] ?? ''} onChange={(e) => setDraft({ ...draft, jobType: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
              <option value="">All job types</option>
              {[...new Set([...jobTypes, ...draft.jobType])].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label>
            Submitted from
            <input type="datetime-local" name="from" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
          </label>
          <label>
            Submitted to
            <input type="datetime-local" name="to" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
          </label>
          <label>
            Correlation id
            <input name="correlationIdentifier" maxLength={255} value={draft.correlationIdentifier} onInput={(e) => setDraft({ ...draft, correlationIdentifier: e.currentTarget.value })} />
          </label>
          <div class="filter-actions">
            <button type="submit">Apply filters</button>
            {active && (
              <button type="button" class="secondary" onClick={() => navigate('/operations')}>
                Clear
              </button>
            )}
          </div>
        </form>
      </details>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="list-summary" aria-live="polite" data-testid="list-summary">
        {!loaded ? 'Loading…' : store.size === 0 ? 'No operations match.' : `${formatCount(store.size)} operation${store.size === 1 ? '' : 's'}${hasMore ? ' loaded, more available' : ''}`}
      </p>
      <VirtualList
        count={store.size}
        rowHeight={rowHeight}
        label="Operations, newest first"
        rowKey={(i) => store.at(i)?.id ?? String(i)}
        onNearEnd={onNearEnd}
        renderRow={(i) => {
          const op = store.at(i);
          if (!op) return null;
          return (
            <div class="op-row" data-testid="operation-row" data-operation-id={op.id}>
              <div class="op-main">
                <Link to={`/operations/${op.id}`} class="op-link">
                  <span class="op-number">{op.asyncOperationNumber}</span>
                </Link>
                <span class="op-type">
                  {op.jobType} <StatusBadge status={op.status} />
                </span>
              </div>
              <div class="op-meta">
                <span>Submitted {formatTime(op.submittedAt)}</span>
                {op.stepName && <span data-testid="step">Step {op.stepName}</span>}
                {op.correlationIdentifier && <span class="mono">{op.correlationIdentifier}</span>}
              </div>
              <ProgressBar op={op} liveRate={store.rate(op.id)} now={now} compact />
            </div>
          );
        }}
      />
      {hasMore && (
        <button type="button" class="secondary load-more" disabled={loading} onClick={onNearEnd}>
          {loading ? 'Loading…' : `Load ${PAGE_SIZE} more`}
        </button>
      )}
    </section>
  );
}
