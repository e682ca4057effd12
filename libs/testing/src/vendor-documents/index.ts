import * as fs from 'node:fs';
import * as path from 'node:path';
import { AsyncActionFacts, DocumentField, parseAsyncActionDocument, parseObjectFields, parsePendingOrderSummaryFields } from './parse';

export * from './parse';

export interface VendorFacts {
  asyncOperationTracker: { fields: DocumentField[] };
  pendingOrderSummary: { fields: DocumentField[] };
  asyncAction: AsyncActionFacts;
}

/** Kept beside the domain lib, whose enumerations the facts hold to the documents. */
export const VENDOR_FACTS_FILE = path.resolve(__dirname, '../../../domain/fixtures/vendor-facts.json');

/** The vendor documents' facts as committed in the repository; every test reads these. */
export function vendorFacts(): VendorFacts {
  return JSON.parse(fs.readFileSync(VENDOR_FACTS_FILE, 'utf8')) as VendorFacts;
}

/**
 * Where the vendor documents themselves may sit: beside the repository (a developer checkout) or
 * wherever VENDOR_DOCUMENTS_DIR points. Absent on a plain clone, and nothing requires them.
 */
export function vendorDocumentsDir(): string | undefined {
  const dir = process.env.VENDOR_DOCUMENTS_DIR ?? path.resolve(__dirname, '../../../../../shared/seeds');
  return fs.existsSync(dir) ? dir : undefined;
}

function readDocument(dir: string, prefix: string): string {
  const name = fs.readdirSync(dir).find((file) => file.startsWith(`${prefix}_`) && file.endsWith('.txt'));
  if (!name) throw new Error(`No vendor document ${prefix}_*.txt in ${dir}`);
  return fs.readFileSync(path.join(dir, name), 'utf8');
}

/** Extracts the facts from the documents in `dir` (000 tracker, 001 async actions, 002 pending orders). */
export function readVendorFacts(dir: string): VendorFacts {
  return {
    asyncOperationTracker: { fields: parseObjectFields(readDocument(dir, '000')) },
    pendingOrderSummary: { fields: parsePendingOrderSummaryFields(readDocument(dir, '002')) },
    asyncAction: parseAsyncActionDocument(readDocument(dir, '001')),
  };
}
