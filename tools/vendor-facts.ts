/*
 * Regenerates libs/domain/fixtures/vendor-facts.json from the vendor documents:
 *   npm run vendor-facts [-- DIR]   (default: ../shared/seeds beside the repository)
 */
import * as fs from 'node:fs';
import { readVendorFacts, vendorDocumentsDir, VENDOR_FACTS_FILE } from '../libs/testing/src/vendor-documents';

const dir = process.argv[2] ?? vendorDocumentsDir();
if (!dir || !fs.existsSync(dir)) {
  console.error('vendor documents not found: pass their directory, or set VENDOR_DOCUMENTS_DIR');
  process.exit(2);
}
fs.writeFileSync(VENDOR_FACTS_FILE, `${JSON.stringify(readVendorFacts(dir), null, 2)}\n`);
console.log(`wrote ${VENDOR_FACTS_FILE} from ${dir}`);
