import { parseAsyncActionDocument, parseObjectFields, readVendorFacts, vendorDocumentsDir, vendorFacts } from './index';

describe('the committed vendor facts', () => {
  const facts = vendorFacts();

  it('hold every field of both Salesforce objects and every async action type with its result', () => {
    expect(facts.asyncOperationTracker.fields).toHaveLength(17);
    expect(facts.pendingOrderSummary.fields).toHaveLength(17);
    expect(facts.asyncAction.types).toHaveLength(22);
    expect(Object.keys(facts.asyncAction.results).sort()).toEqual([...facts.asyncAction.types].sort());
    for (const field of [...facts.asyncOperationTracker.fields, ...facts.pendingOrderSummary.fields]) {
      expect(field.name).toMatch(/^[A-Za-z]+$/);
      expect(field.type).toBeTruthy();
    }
  });
});

describe('the document readers', () => {
  it('read a field with its properties, picklist and reference', () => {
    const text = ['Fields', 'Status', 'Type', 'picklist', 'Properties', 'Filter, Group, Sort', 'Description', 'The status.', 'Possible values are:', '\u2022 Done \u2014 Finished', '\u2022 Open', 'Owner', 'Type', 'reference', 'Properties', 'Filter', 'Refers To', 'Group, User', 'Relationship Name', 'Owner'].join('\n');
    expect(parseObjectFields(text)).toEqual([
      { name: 'Status', type: 'picklist', properties: ['Filter', 'Group', 'Sort'], picklist: [['Done', 'Finished'], ['Open', 'Open']] },
      { name: 'Owner', type: 'reference', properties: ['Filter'], picklist: [], refersTo: ['Group', 'User'], relationshipName: 'Owner' },
    ]);
  });

  it('read async action values and result sections, resolving included sections', () => {
    const text = [
      'typestringThe type. Available values: A.IMPORT, B.PURGE',
      'statusstringThe status. Available values: DONE, FAILED',
      'operation_statusstringOutcome. Available values: SUCCESS',
      'objectstringObject. Available values: async_action',
      'resultOne of: A.IMPORT, B.PURGE',
      'Async Action Base',
      'messagestringA message.',
      'A.IMPORT',
      '1. Async Action Base',
      'failedarrayFailed rows. Attributes Description codestring The code. reasonstring The reason.',
      'B.PURGE',
      'done_countintegerDone.',
    ].join('\n');
    expect(parseAsyncActionDocument(text)).toEqual({
      types: ['A.IMPORT', 'B.PURGE'],
      statuses: ['DONE', 'FAILED'],
      operationStatuses: ['SUCCESS'],
      object: ['async_action'],
      resultOneOf: ['A.IMPORT', 'B.PURGE'],
      results: { 'A.IMPORT': { fields: ['message', 'failed'], items: { failed: ['code', 'reason'] } }, 'B.PURGE': { fields: ['done_count'], items: {} } },
    });
  });
});

// The documents are not part of the repository; when a checkout has them beside it, the fixture must
// still say what they say (regenerate it with `npm run vendor-facts`).
const documents = vendorDocumentsDir();
if (documents) {
  describe('the vendor documents beside the repository', () => {
    it('say exactly what the committed facts say', () => {
      expect(vendorFacts()).toEqual(JSON.parse(JSON.stringify(readVendorFacts(documents))));
    });
  });
}
