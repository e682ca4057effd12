import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCompose, serviceEnvironment } from './compose';

describe('loadCompose renders through Docker Compose', () => {
  let dir: string;
  const write = (text: string) => {
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'compose-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies defaults, given variables and escapes as Compose does, ignoring a .env beside the file', () => {
    writeFileSync(path.join(dir, '.env'), 'LEVEL=from-dotenv\n');
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    build: .', '    environment:', '      LEVEL: ${LEVEL:-info}', '      PORT: ${PORT:-3000}', '      PRICE: "$$5"'].join('\n'));
    expect(serviceEnvironment(loadCompose({ file }).services.app)).toEqual({ LEVEL: 'info', PORT: '3000', PRICE: '$5' });
    expect(serviceEnvironment(loadCompose({ file, variables: { PORT: '8080' } }).services.app)).toMatchObject({ PORT: '8080' });
    expect(loadCompose({ file }).services.app.build).toMatchObject({ context: '.' });
  });

  it('refuses a variable without a default', () => {
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    environment:', '      SECRET: ${SECRET}'].join('\n'));
    expect(() => loadCompose({ file })).toThrow(/SECRET without a default/);
  });

  it('refuses a file Compose itself rejects', () => {
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    depends_on: [nowhere]'].join('\n'));
    expect(() => loadCompose({ file })).toThrow(/docker-compose config refused/);
  });
});
