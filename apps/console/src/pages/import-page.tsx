import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, CSV_IMPORTS, uploadCsv, type UploadProgress } from '../api';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { useConsole, useNow, useStoreRevision } from '../context';
import { formatPercent } from '../progress';
import { Link } from '../router';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function ImportPage() {
  const { api, store } = useConsole();
  useStoreRevision(store);
  const now = useNow();
  const [kind, setKind] = useState<string>('vouchers');
  const [campaignId, setCampaignId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (e: Event) => {
    e.preventDefault();
    if (!file) return setError('Choose a CSV file first.');
    const target = CSV_IMPORTS.find((t) => t.value === kind);
    if (!target) return;
    if (kind === 'campaign' && !campaignId.trim()) return setError('Enter the campaign id.');
    setError(null);
    setOperationId(null);
    setUpload({ loaded: 0, total: file.size });
    abort.current = new AbortController();
    try {
      const path = target.path.replace('{campaignId}', encodeURIComponent(campaignId.trim()));
      const started = await uploadCsv(api, path, file, setUpload, abort.current.signal);
      setOperationId(started.operationId);
      store.upsert(await api.getOperation(started.operationId));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The upload failed.');
    } finally {
      setUpload(null);
    }
  };

  const op = operationId ? store.get(operationId) : undefined;
  const uploadPercent = upload ? (upload.total > 0 ? (upload.loaded / upload.total) * 100 : 0) : 0;
  return (
    <section>
      <h1>Import a CSV</h1>
      <form class="stack narrow" onSubmit={start}>
        <label>
          What the file holds
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {CSV_IMPORTS.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {kind === 'campaign' && (
          <label>
            Campaign id
            <input name="campaignId" required maxLength={255} value={campaignId} onInput={(e) => setCampaignId(e.currentTarget.value)} />
          </label>
        )}
        <label>
          CSV file
          <input name="file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <div class="filter-actions">
          <button type="submit" disabled={upload !== null}>
            Start import
          </button>
          {upload && (
            <button type="button" class="secondary" onClick={() => abort.current?.abort()}>
              Stop upload
            </button>
          )}
        </div>
      </form>
      {upload && (
        <div class="card" data-testid="upload-progress">
          <label for="upload-bar">
            Uploading {file?.name}: {mb(upload.loaded)} of {mb(upload.total)} ({formatPercent(uploadPercent)})
          </label>
          <progress id="upload-bar" max={100} value={uploadPercent} />
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {op && (
        <div class="card" data-testid="import-operation">
          <h2>
            <Link to={`/operations/${op.id}`}>
              Import {op.asyncOperationNumber} ({op.jobType})
            </Link>{' '}
            <StatusBadge status={op.status} />
          </h2>
          <ProgressBar op={op} liveRate={store.rate(op.id)} now={now} />
        </div>
      )}
    </section>
  );
}
