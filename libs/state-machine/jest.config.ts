import { unitConfig } from '../../jest.preset';

export default unitConfig('state-machine', __dirname);
