import { integrationConfig } from '../../jest.preset';

export default integrationConfig('importer', __dirname);
