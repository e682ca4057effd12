import { integrationConfig } from '../../jest.preset';

export default integrationConfig('tracker', __dirname);
