import { integrationConfig } from '../../jest.preset';

export default integrationConfig('cli', __dirname);
