import { integrationConfig } from '../../jest.preset';

const base = integrationConfig('importer', __dirname);

export default {
  ...base,
  transform: { ...base.transform, 'voucherifysdk\\.umd\\.[a-z.]+\\.js$': `${__dirname}/test/voucherify-sdk.transform.js` },
  transformIgnorePatterns: ['/node_modules/(?!@voucherify/sdk/)'],
};
