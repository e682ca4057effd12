import { unitConfig } from '../../jest.preset';

export default unitConfig('tracker', __dirname);
