import { JsonLogger } from '../logging/json-logger';
import { keepAliveOnUnhandledRejection } from './run-service';

describe('keepAliveOnUnhandledRejection', () => {
  it('logs an unhandled rejection as one JSON error line instead of letting the process exit', () => {
    const logger = new JsonLogger('test', 'error');
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const before = process.listenerCount('unhandledRejection');
    keepAliveOnUnhandledRejection(() => logger);
    keepAliveOnUnhandledRejection(() => logger);
    // Installed once, however often the bootstrap runs.
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1);

    process.emit('unhandledRejection', new Error('no reply within 10000 ms'), Promise.resolve());
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'unhandled-rejection', err: expect.objectContaining({ name: 'Error', message: 'no reply within 10000 ms' }) }),
      'Process',
    );
  });
});
