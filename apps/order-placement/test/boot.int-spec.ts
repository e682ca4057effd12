import { checkBootAndHealth } from '@asyncops/testing';

describe('order-placement (real broker and database)', () => {
  it('boots, migrates its schema, reports health and stops gracefully', async () => {
    await checkBootAndHealth('order-placement', 'order_placement');
  });
});
