/*
 * Readers of the public vendor documents the product speaks (Salesforce AsyncOperationTracker and
 * PendingOrderSummary, Voucherify async actions). The facts they extract are committed as a fixture
 * (vendor-facts.json) so every test runs on a plain clone; these readers regenerate that fixture
 * and cross-check it whenever the documents are present beside the repository.
 */

const BULLET = '\u2022';
const EM_DASH = '\u2014';

export interface DocumentField {
  name: string;
  type: string;
  properties: string[];
  /** Picklist values in document order, as [value, label] (the label defaults to the value). */
  picklist: [string, string][];
  relationshipName?: string;
  refersTo?: string[];
}

/** Salesforce object references list fields as a line with the field name followed by one reading "Type". */
export function parseObjectFields(text: string): DocumentField[] {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) => (lines[i + 1] === 'Type' && line.trim() !== '' ? [i] : []));
  return starts.map((start, k) => {
    const body = lines.slice(start + 1, starts[k + 1] ?? lines.length);
    const after = (label: string) => body[body.indexOf(label) + 1]?.trim();
    const picklist: [string, string][] = [];
    const from = body.indexOf('Possible values are:');
    if (from >= 0) {
      for (const line of body.slice(from + 1)) {
        const trimmed = line.trim();
        if (!trimmed.startsWith(BULLET)) break;
        const [value, label] = trimmed.slice(1).split(EM_DASH);
        picklist.push([value.trim(), (label ?? value).trim()]);
      }
    }
    const props = after('Properties');
    return {
      name: lines[start].trim(),
      type: after('Type'),
      // A field whose Properties line is empty reads its Description heading next.
      properties: !props || props === 'Description' ? [] : props.split(',').map((p) => p.trim()),
      picklist,
      ...(body.includes('Relationship Name') ? { relationshipName: after('Relationship Name') } : {}),
      ...(body.includes('Refers To') ? { refersTo: after('Refers To').split(',').map((s) => s.trim()) } : {}),
    };
  });
}

/** PendingOrderSummary's reference keeps its fields between "Field Details" and "Usage". */
export function parsePendingOrderSummaryFields(text: string): DocumentField[] {
  return parseObjectFields(text.slice(text.indexOf('Field Details'), text.indexOf('\nUsage\n')));
}

export interface AsyncActionResultSection {
  fields: string[];
  /** Item attributes of each array-like field (`failed`, `errors`). */
  items: Record<string, string[]>;
}

export interface AsyncActionFacts {
  types: string[];
  statuses: string[];
  operationStatuses: string[];
  object: string[];
  resultOneOf: string[];
  results: Record<string, AsyncActionResultSection>;
}

/** Attributes read `<name><type><Description>…`, with no separator between the three. */
const ATTRIBUTE = /^\s*([a-z_]+?)(string|integer|array|object)(?=[A-Z])/;
/** Inside "Attributes Description…" an array's item attributes read `<name><type> <Description>`. */
const ITEM_ATTRIBUTE = /(?<=^|\s)([a-z_]+?)(string|integer) (?=[A-Z])/g;

function availableValues(text: string, attribute: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${attribute}string`));
  const values = line?.split('Available values: ')[1];
  if (!values) throw new Error(`No available values for ${attribute} in the async action document`);
  return values.split(',').map((v) => v.trim());
}

export function parseAsyncActionDocument(text: string): AsyncActionFacts {
  const types = availableValues(text, 'type');
  const lines = text.split('\n');
  const bulkUpdateBase = 'Async Action Voucher Customer Product Bulk Update Result';
  const headers = new Set<string>([...types, bulkUpdateBase, 'Async Action Base']);
  const raw = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    if (headers.has(line)) {
      current = [];
      raw.set(line, current);
    } else {
      current?.push(line);
    }
  }
  const parse = (name: string): AsyncActionResultSection => {
    const body = raw.get(name);
    if (!body) throw new Error(`Section ${name} not found in the async action document`);
    const section: AsyncActionResultSection = { fields: [], items: {} };
    for (const line of body) {
      const included = line.match(/^\s*\d+\.\s+(.+)$/);
      if (included && raw.has(included[1])) {
        const base = parse(included[1]);
        section.fields.push(...base.fields);
        Object.assign(section.items, base.items);
        continue;
      }
      const attribute = line.match(ATTRIBUTE);
      if (!attribute) continue;
      section.fields.push(attribute[1]);
      const itemText = line.split('Attributes Description')[1];
      if (itemText !== undefined) section.items[attribute[1]] = [...itemText.matchAll(ITEM_ATTRIBUTE)].map((m) => m[1]);
    }
    return section;
  };
  return {
    types,
    statuses: availableValues(text, 'status'),
    operationStatuses: availableValues(text, 'operation_status'),
    object: availableValues(text, 'object'),
    resultOneOf: (text.match(/resultOne of: (.+)/)?.[1] ?? '').split(',').map((v) => v.trim()).filter(Boolean),
    results: Object.fromEntries(types.map((type) => [type, parse(type)])),
  };
}
