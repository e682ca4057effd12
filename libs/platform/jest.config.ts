import { unitConfig } from '../../jest.preset';

export default unitConfig('platform', __dirname);
