import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api, ApiError, type Session, signIn } from './api';
import { Ctx, type ConsoleContext } from './context';
import { createFrameBatcher, newerVersion } from './frame-batcher';
import { type LiveState, openLiveStream } from './live-stream';
import { OperationStore } from './operation-store';
import { ImportPage } from './pages/import-page';
import { OperationDetailPage } from './pages/operation-detail-page';
import { OperationsPage } from './pages/operations-page';
import { WebhooksPage } from './pages/webhooks-page';
import { Link, navigate, useLocation } from './router';
import type { OperationChange } from './types';

export function App() {
  // In memory only: a reload or a new tab signs in again, and nothing is left in storage.
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!session) return <SignIn notice={notice} onSignedIn={(s) => (setNotice(null), setSession(s))} />;
  return (
    <SignedIn
      session={session}
      onSignOut={(why) => {
        setNotice(why ?? null);
        setSession(null);
      }}
    />
  );
}

function SignIn({ onSignedIn, notice }: { onSignedIn(s: Session): void; notice: string | null }) {
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(clientId.trim(), secret));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The gateway did not answer.');
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <h1>asyncops console</h1>
      <p>Sign in with an API client's credentials. The token is kept in this page's memory only.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} class="stack">
        <label>
          Client id
          <input name="client_id" autoComplete="username" required value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
        </label>
        <label>
          Client secret
          <input name="client_secret" type="password" autoComplete="current-password" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const LIVE_LABELS: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

function SignedIn({ session, onSignOut }: { session: Session; onSignOut(why?: string): void }) {
  const [live, setLive] = useState<LiveState>('connecting');
  const api = useMemo(() => new Api(session, () => onSignOut('Your session ended; sign in again.')), [session]);
  const store = useMemo(() => new OperationStore(), [session]);
  const unknownListeners = useRef(new Set<(ids: string[]) => void>()).current;

  useEffect(() => {
    // Changes are applied once per animation frame, however many arrive in between.
    const batcher = createFrameBatcher<OperationChange>({
      key: (c) => c.operationId,
      pick: newerVersion,
      schedule: (run) => requestAnimationFrame(run),
      flush: (changes) => {
        const { unknown } = store.applyChanges(changes);
        if (unknown.length) for (const l of unknownListeners) l(unknown);
      },
    });
    const close = openLiveStream(api, { onChanges: (changes) => batcher.pushAll(changes), onState: setLive });
    // The token expires: sign out a little before it does rather than failing requests.
    const expiry = setTimeout(() => onSignOut('Your session expired; sign in again.'), Math.max(0, session.expiresAt - Date.now() - 5000));
    return () => {
      close();
      clearTimeout(expiry);
    };
  }, [api, store]);

  const loc = useLocation();
  useEffect(() => {
    if (loc.path === '/' || loc.path === '') navigate('/operations', true);
  }, [loc.path]);

  const ctx: ConsoleContext = { api, store, live, unknownListeners };
  const detail = /^\/operations\/([0-9a-fA-F-]{36})\/?$/.exec(loc.path);
  let page;
  if (detail) page = <OperationDetailPage id={detail[1].toLowerCase()} />;
  else if (loc.path.startsWith('/import')) page = <ImportPage />;
  else if (loc.path.startsWith('/webhooks')) page = <WebhooksPage />;
  else if (loc.path.startsWith('/operations') || loc.path === '/') page = <OperationsPage search={loc.search} />;
  else
    page = (
      <section>
        <h1>Not found</h1>
        <p>
          Nothing lives at this address. <Link to="/operations">Go to the operations</Link>.
        </p>
      </section>
    );

  const nav = (to: string, label: string) => (
    <li>
      <Link to={to} aria-current={loc.path.startsWith(to) ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">asyncops</span>
        <nav aria-label="Console">
          <ul>
            {nav('/operations', 'Operations')}
            {nav('/import', 'Import CSV')}
            {nav('/webhooks', 'Webhooks')}
          </ul>
        </nav>
        <span class={`live live-${live}`} role="status" data-testid="live-state">
          {LIVE_LABELS[live]}
        </span>
        <span class="who" title="Signed-in client">
          {session.clientId}
        </span>
        <button type="button" class="secondary" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </Ctx.Provider>
  );
}
