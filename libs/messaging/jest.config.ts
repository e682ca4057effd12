import { unitConfig } from '../../jest.preset';

export default unitConfig('messaging', __dirname);
