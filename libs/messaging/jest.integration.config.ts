import { integrationConfig } from '../../jest.preset';

export default integrationConfig('messaging', __dirname);
