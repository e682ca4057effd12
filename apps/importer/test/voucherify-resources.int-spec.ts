import { CLIENTS, ImportStack } from './voucherify-sdk-support';

interface VoucherJson {
  id: string;
  code: string;
  campaign: string | null;
  campaign_id: string | null;
  category: string | null;
  type: string;
  discount: Record<string, unknown> | null;
  active: boolean;
  metadata: Record<string, unknown>;
  redemption: { quantity: number | null; redeemed_quantity: number };
  start_date: string | null;
  object: string;
}

/** What @voucherify/sdk users read back after an import: vouchers, campaigns and customers, in Voucherify's shapes. */
describe('Voucherify single-resource routes through @voucherify/sdk (gateway + importer + tracker, real broker and database)', () => {
  jest.setTimeout(120_000);
  const stack = ImportStack.forSuite('vresources');

  it('reads an imported voucher and its campaign, adds one voucher, and updates the campaign (answered with the campaign object and the async action id)', async () => {
    const sdk = stack.sdk();
    const imported = (await sdk.campaigns.importVouchers('spring', [
      { code: 'SPRING-1', type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 15 }, category: 'seasonal', redemption: { quantity: 3 }, metadata: { wave: 1 } },
      { code: 'SPRING-2', type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 500 } },
    ] as never)) as unknown as { async_action_id: string };
    expect((await stack.finished(imported.async_action_id)).status).toBe('DONE');

    const voucher = (await sdk.vouchers.get('SPRING-1')) as unknown as VoucherJson;
    expect(voucher).toMatchObject({
      code: 'SPRING-1',
      campaign: 'spring',
      category: 'seasonal',
      type: 'DISCOUNT_VOUCHER',
      discount: { type: 'PERCENT', percent_off: 15 },
      active: true,
      metadata: { wave: 1 },
      redemption: { quantity: 3, redeemed_quantity: 0 },
      object: 'voucher',
    });
    expect(voucher.id).toMatch(/^v_[0-9a-f]{32}$/);
    expect(voucher.campaign_id).toMatch(/^camp_[0-9a-f]{32}$/);
    expect(((await sdk.vouchers.get('SPRING-2')) as unknown as VoucherJson).discount).toMatchObject({ type: 'AMOUNT', amount_off: 500 });
    // By id too, as Voucherify accepts.
    expect(((await sdk.vouchers.get(voucher.id)) as unknown as VoucherJson).code).toBe('SPRING-1');

    const campaign = (await sdk.campaigns.get('spring')) as unknown as Record<string, unknown>;
    expect(campaign).toMatchObject({ id: voucher.campaign_id, name: 'spring', vouchers_count: 2, active: true, object: 'campaign' });
    expect(((await sdk.campaigns.get(voucher.campaign_id as string)) as unknown as { name: string }).name).toBe('spring');

    // Without vouchers_count: one voucher, answered at once.
    const added = (await sdk.campaigns.addVoucher('spring', { code_config: { length: 6, charset: 'XYZ', prefix: 'S-' }, category: 'single', metadata: { source: 'sdk' } } as never)) as unknown as VoucherJson;
    expect(added).toMatchObject({ campaign: 'spring', category: 'single', metadata: { source: 'sdk' }, object: 'voucher' });
    expect(added.code).toMatch(/^S-[XYZ]{6}$/);
    expect(((await sdk.vouchers.get(added.code)) as unknown as VoucherJson).id).toBe(added.id);
    expect(((await sdk.campaigns.get('spring')) as unknown as { vouchers_count: number }).vouchers_count).toBe(3);

    const updated = (await sdk.campaigns.update('spring', { category: 'summer', start_date: '2027-06-01T00:00:00Z', metadata: { season: 'summer' } } as never)) as unknown as Record<string, unknown>;
    expect(updated).toMatchObject({ id: voucher.campaign_id, name: 'spring', category: 'summer', start_date: '2027-06-01T00:00:00.000Z', metadata: { season: 'summer' }, object: 'campaign' });
    expect(updated.async_action_id).toMatch(/^aa_[0-9a-f]{32}$/);
    const action = await stack.finished(updated.async_action_id as string);
    expect(action).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_UPDATE', status: 'DONE', result: { done_count: 3 } });
    expect((await sdk.vouchers.get('SPRING-2')) as unknown as VoucherJson).toMatchObject({ category: 'summer', start_date: '2027-06-01T00:00:00.000Z', metadata: { season: 'summer' } });

    await expect(sdk.campaigns.addVoucher('no-such-campaign', {} as never)).rejects.toMatchObject({ code: 404, key: 'not_found' });
    await expect(sdk.campaigns.update('no-such-campaign', { category: 'x' } as never)).rejects.toMatchObject({ code: 404, key: 'not_found' });
  });

  it('reads an imported customer by source_id and by id', async () => {
    const sdk = stack.sdk();
    const imported = (await sdk.customers.importCSV(
      stack.file('customers.csv', 'source_id,name,email,phone,birthdate,description,address_city,address_country,tier\nres-1,Alice,alice@example.com,+48 1,1990-02-03,VIP,Warsaw,PL,gold\n'),
    )) as { async_action_id: string };
    expect((await stack.finished(imported.async_action_id)).status).toBe('DONE');
    const customer = (await sdk.customers.get('res-1')) as unknown as Record<string, unknown> & { id: string };
    expect(customer).toMatchObject({
      source_id: 'res-1',
      name: 'Alice',
      email: 'alice@example.com',
      phone: '+48 1',
      birthdate: '1990-02-03',
      description: 'VIP',
      address: { city: 'Warsaw', country: 'PL' },
      metadata: { tier: 'gold' },
      object: 'customer',
    });
    expect(customer.id).toMatch(/^cust_[0-9a-f]{32}$/);
    expect(((await sdk.customers.get(customer.id)) as unknown as { source_id: string }).source_id).toBe('res-1');
  });

  it('answers 404 in Voucherify’s shape for unknown resources and for another client’s', async () => {
    const sdk = stack.sdk();
    await expect(sdk.vouchers.get('NOPE')).rejects.toMatchObject({ code: 404, key: 'not_found' });
    await expect(sdk.campaigns.get('nope')).rejects.toMatchObject({ code: 404, key: 'not_found' });
    await expect(sdk.customers.get('nope')).rejects.toMatchObject({ code: 404, key: 'not_found' });
    const other = stack.sdk(CLIENTS[1]);
    await expect(other.vouchers.get('SPRING-1')).rejects.toMatchObject({ code: 404, key: 'not_found' });
    await expect(other.campaigns.get('spring')).rejects.toMatchObject({ code: 404, key: 'not_found' });
    await expect(other.customers.get('res-1')).rejects.toMatchObject({ code: 404, key: 'not_found' });
  });
});
