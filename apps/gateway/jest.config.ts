import { unitConfig } from '../../jest.preset';

export default unitConfig('gateway', __dirname);
