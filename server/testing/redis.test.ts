import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startRedis } from './redis.ts';

describe('Redis test harness', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('starts a real redis-server on a free port, stops it and restarts it empty on the same port', async () => {
    const server = await startRedis();
    try {
      const client = createClient({ url: server.url, socket: { reconnectStrategy: false } });
      client.on('error', () => {});
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      client.destroy();
      await server.restart();
      const again = createClient({ url: server.url, socket: { reconnectStrategy: false } });
      again.on('error', () => {});
      await again.connect();
      expect(await again.get('k')).toBeNull();
      again.destroy();
      await server.stop();
      const refused = createClient({ url: server.url, socket: { reconnectStrategy: false } });
      refused.on('error', () => {});
      await expect(refused.connect()).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('fails loudly with how to install Redis when redis-server is missing', async () => {
    process.env.PATH = '/nonexistent';
    await expect(startRedis()).rejects.toThrow(/redis-server.*apt-get install -y redis-server/);
  });
});
