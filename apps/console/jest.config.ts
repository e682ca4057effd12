import { unitConfig } from '../../jest.preset';

export default unitConfig('console', __dirname);
