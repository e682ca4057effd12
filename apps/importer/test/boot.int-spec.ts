import { checkBootAndHealth } from '@asyncops/testing';

describe('importer (real broker and database)', () => {
  it('boots, migrates its schema, reports health and stops gracefully', async () => {
    await checkBootAndHealth('importer', 'importer');
  });
});
