import { ASYNC_ACTION_TYPES } from '@asyncops/domain';
import type { ImporterConfig } from '../../config';
import { CAMPAIGN_DELETE_TYPE, CAMPAIGN_UPDATE_TYPE, GENERATE_TYPE } from '../../generation/code-generator';
import { CampaignChangeHandler } from '../commands/change-campaign/change-campaign.handler';
import { CodeGenerationHandler } from '../commands/generate-codes/generate-codes.handler';
import { ResourceImportHandler } from '../commands/import-resources/import-resources.handler';
import { MetadataPurgeHandler } from '../commands/purge-metadata/purge-metadata.handler';
import type { UploadReader } from '../copy/upload-reader';
import { actionDispatch, ActionHandler } from './action-handler';

describe('action dispatch', () => {
  const config = { IMPORT_BATCH_SIZE: 10 } as ImporterConfig;
  const resources = new ResourceImportHandler(config, {} as UploadReader);
  const generation = new CodeGenerationHandler(config);
  const campaigns = new CampaignChangeHandler(config);
  const purges = new MetadataPurgeHandler(config);
  const handlerFor = actionDispatch([resources, generation, campaigns, purges]);

  it('sends each kind of action to its own handler', () => {
    expect(handlerFor('VOUCHERS.IMPORT_CSV')).toBe(resources);
    expect(handlerFor('ORDERS.IMPORT')).toBe(resources);
    expect(handlerFor('CUSTOMERS.BULK_UPDATE')).toBe(resources);
    expect(handlerFor('PRODUCTS.METADATA_UPDATE')).toBe(resources);
    expect(handlerFor(GENERATE_TYPE)).toBe(generation);
    expect(handlerFor(CAMPAIGN_UPDATE_TYPE)).toBe(campaigns);
    expect(handlerFor(CAMPAIGN_DELETE_TYPE)).toBe(campaigns);
    expect(handlerFor('CUSTOMERS.METADATA_KEY_PURGE')).toBe(purges);
    expect(handlerFor('ORDERS.METADATA_KEY_PURGE')).toBe(purges);
  });

  it('has a handler for every async action type of seed 001, and none for other types', () => {
    expect(ASYNC_ACTION_TYPES.filter((t) => !handlerFor(t))).toEqual([]);
    expect(handlerFor('VOUCHERS.EXPORT')).toBeUndefined();
  });

  it('refuses a type claimed by two handlers', () => {
    const twice: ActionHandler = { types: [GENERATE_TYPE], runBatch: async () => undefined };
    expect(() => actionDispatch([generation, twice])).toThrow(/CAMPAIGN.VOUCHERS_GENERATE has two handlers/);
  });
});
