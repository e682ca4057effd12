import { unitConfig } from '../../jest.preset';

export default unitConfig('importer', __dirname);
