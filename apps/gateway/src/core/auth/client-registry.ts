import { randomBytes } from 'node:crypto';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, GatewayConfig, parseAuthClients } from '../../config';
import { hashSecret, ParsedSecretHash, parseSecretHash, verifySecret } from './secret-hash';

export interface AuthClient {
  clientId: string;
  name: string;
}

interface RegisteredClient extends AuthClient {
  secret: ParsedSecretHash;
}

/**
 * The API clients allowed to obtain tokens. Verification costs one scrypt derivation whether or
 * not the client id exists, so response times do not reveal which client ids are registered.
 */
export class ClientRegistry {
  private readonly clients: ReadonlyMap<string, RegisteredClient>;
  private readonly decoy: ParsedSecretHash = { salt: randomBytes(16), hash: randomBytes(32) };

  constructor(
    clients: Array<AuthClient & { secretHash: string }>,
    readonly devClientEnabled = false,
  ) {
    const map = new Map<string, RegisteredClient>();
    for (const c of clients) {
      const secret = parseSecretHash(c.secretHash);
      if (!secret) throw new Error(`client ${c.clientId} has an unreadable secretHash`);
      map.set(c.clientId, { clientId: c.clientId, name: c.name, secret });
    }
    this.clients = map;
  }

  /**
   * Builds the registry from validated config. Outside production with no clients configured,
   * the development client is the only one; production refuses to run without clients.
   */
  static async fromConfig(config: GatewayConfig): Promise<ClientRegistry> {
    const { clients, problems } = parseAuthClients(config.AUTH_CLIENTS);
    if (problems.length) throw new Error(problems.join('; '));
    if (clients.length) return new ClientRegistry(clients);
    if (config.isProduction) throw new Error('AUTH_CLIENTS: must list at least one client in production');
    const devHash = await hashSecret(DEV_CLIENT_SECRET);
    return new ClientRegistry([{ clientId: DEV_CLIENT_ID, name: 'Development client', secretHash: devHash }], true);
  }

  get size(): number {
    return this.clients.size;
  }

  find(clientId: string): AuthClient | undefined {
    const c = this.clients.get(clientId);
    return c && { clientId: c.clientId, name: c.name };
  }

  /**
   * Names the secret a client has now (its hash's random salt), so a cached verification made
   * under an earlier secret is recognised as stale; undefined for an unknown client.
   */
  secretVersion(clientId: string): string | undefined {
    return this.clients.get(clientId)?.secret.salt.toString('hex');
  }

  async authenticate(clientId: string, secret: string): Promise<AuthClient | null> {
    const client = this.clients.get(clientId);
    const ok = await verifySecret(secret, client?.secret ?? this.decoy);
    return ok && client ? { clientId: client.clientId, name: client.name } : null;
  }
}
