import { unitConfig } from '../../jest.preset';

export default unitConfig('persistence', __dirname);
