import type { TestClient } from './full-stack';

/**
 * An access token from a gateway's Salesforce token endpoint (client credentials), as jsforce
 * asks for one; throws with the answer when it is not 200.
 */
export async function salesforceToken(gatewayUrl: string, client: Pick<TestClient, 'id' | 'secret'>): Promise<string> {
  const res = await fetch(`${gatewayUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
  });
  if (res.status !== 200) throw new Error(`token for ${client.id}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
