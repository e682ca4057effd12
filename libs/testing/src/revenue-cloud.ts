/** A line of a Revenue Cloud place request, as a test states it. */
export type RevenueCloudLine = { sku: string; quantity: number; discount?: number; discountAmount?: number };

/**
 * The body of a Revenue Cloud place action (`actions/standard/placeOrder|placeQuote`): one header
 * record and its lines, the lines pointing at the header by reference id.
 */
export function revenueCloudPlaceBody(kind: 'Order' | 'Quote', header: Record<string, unknown>, lines: RevenueCloudLine[]) {
  const [headerType, lineType, parentField] = kind === 'Order' ? ['Order', 'OrderItem', 'OrderId'] : ['Quote', 'QuoteLineItem', 'QuoteId'];
  return {
    pricingPref: 'System',
    graph: {
      graphId: 'g1',
      records: [
        { referenceId: 'refHeader', record: { attributes: { type: headerType, method: 'POST' }, ...header } },
        ...lines.map((l, i) => ({
          referenceId: `refLine${i}`,
          record: {
            attributes: { type: lineType, method: 'POST' },
            [parentField]: '@{refHeader.id}',
            Product2Id: l.sku,
            Quantity: l.quantity,
            ...(l.discount !== undefined ? { Discount: l.discount } : {}),
            ...(l.discountAmount !== undefined ? { DiscountAmount: l.discountAmount } : {}),
          },
        })),
      ],
    },
  };
}
