/**
 * Prints the AUTH_CLIENTS `secretHash` for a client secret:
 *   npx ts-node --transpile-only apps/gateway/src/core/auth/hash-secret.ts <secret>
 * The secret itself is never stored; only this hash goes into the configuration.
 */
import { hashSecret } from './secret-hash';

async function main(argv: string[]): Promise<number> {
  const secret = argv[0];
  if (!secret || argv.length > 1) {
    process.stderr.write('usage: npx ts-node --transpile-only apps/gateway/src/core/auth/hash-secret.ts <secret>\n');
    return 2;
  }
  process.stdout.write(`${await hashSecret(secret)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  },
);
