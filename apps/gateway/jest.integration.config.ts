import { integrationConfig } from '../../jest.preset';

export default integrationConfig('gateway', __dirname);
