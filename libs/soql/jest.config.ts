import { unitConfig } from '../../jest.preset';

export default unitConfig('soql', __dirname);
