import { unitConfig } from '../../jest.preset';

export default unitConfig('cli', __dirname);
