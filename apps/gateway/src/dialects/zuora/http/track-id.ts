export const TRACK_ID_HEADER = 'Zuora-Track-Id';
export const MAX_TRACK_ID_LENGTH = 64;

/**
 * Seed 003: at most 64 US-ASCII characters, none of `: ; " '`. Control characters are refused
 * too, because the value is echoed in a response header where they would be unsafe.
 * Returns why a value is refused, or null when it is acceptable.
 */
export function trackIdProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_TRACK_ID_LENGTH) return `must be at most ${MAX_TRACK_ID_LENGTH} characters (got ${value.length})`;
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c > 0x7e) return 'must use printable US-ASCII characters only';
    if (ch === ':' || ch === ';' || ch === '"' || ch === "'") return `must not contain ${ch}`;
  }
  return null;
}
