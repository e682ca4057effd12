import { unitConfig } from '../../jest.preset';

export default unitConfig('domain', __dirname);
