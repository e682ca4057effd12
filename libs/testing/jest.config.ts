import { unitConfig } from '../../jest.preset';

export default unitConfig('testing', __dirname);
