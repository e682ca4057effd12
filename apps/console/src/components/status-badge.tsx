import { statusLabel, statusTone } from '../progress';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${statusTone(status)}`}>{statusLabel(status)}</span>;
}
