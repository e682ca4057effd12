/** Broker user → the producer names it may report for; `*` allows any producer. */
export type ProducerBrokerUsers = ReadonlyMap<string, ReadonlySet<string>>;

/** Parses PRODUCER_BROKER_USERS, e.g. {"guest":["*"],"importer":["importer"]}. */
export function parseProducerBrokerUsers(raw: string): { users?: ProducerBrokerUsers; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { problems: [`PRODUCER_BROKER_USERS: must be a JSON object of broker user to producer names (${(e as Error).message})`] };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problems: ['PRODUCER_BROKER_USERS: must be a JSON object like {"guest":["*"],"importer":["importer"]}'] };
  }
  const problems: string[] = [];
  const users = new Map<string, ReadonlySet<string>>();
  for (const [user, producers] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(producers) || !producers.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 80)) {
      problems.push(`PRODUCER_BROKER_USERS: "${user}" must map to an array of producer names (1-80 characters) or ["*"]`);
      continue;
    }
    users.set(user, new Set(producers as string[]));
  }
  return problems.length ? { problems } : { users, problems };
}
