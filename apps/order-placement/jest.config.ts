import { unitConfig } from '../../jest.preset';

export default unitConfig('order-placement', __dirname);
