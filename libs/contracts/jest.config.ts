import { unitConfig } from '../../jest.preset';

export default unitConfig('contracts', __dirname);
