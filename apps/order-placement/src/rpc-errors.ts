import { asRpcError } from './errors';

/** Runs an RPC handler so that its domain errors reach the caller as typed error replies. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asRpcError(e);
  }
}
