import { integrationConfig } from '../../jest.preset';

export default integrationConfig('order-placement', __dirname);
