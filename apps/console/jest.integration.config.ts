import { integrationConfig } from '../../jest.preset';

export default integrationConfig('console', __dirname);
