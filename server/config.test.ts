import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has working defaults: offline, port 3000 on 127.0.0.1, ./data/parley.db', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, host: '127.0.0.1', dbPath: './data/parley.db', llm: { provider: 'offline' }, admin: null, rateLimits: true });
    expect(loadConfig({ PARLEY_RATE_LIMITS: 'off' }).rateLimits).toBe(false);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ PARLEY_TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, loopback' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback']);
    expect(() => loadConfig({ PARLEY_TRUST_PROXY: 'everyone' })).toThrow(/PARLEY_TRUST_PROXY/);
    expect(loadConfig({}).dbSync).toBe('normal');
    expect(loadConfig({ PARLEY_DB_SYNC: 'full' }).dbSync).toBe('full');
    expect(() => loadConfig({ PARLEY_DB_SYNC: 'off' })).toThrow(/PARLEY_DB_SYNC/);
  });

  it('uses the LLM when a key or base URL is set, unless told offline', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).llm).toMatchObject({ provider: 'openai', apiKey: 'sk-test', model: 'gpt-4o-mini', timeoutMs: 15_000 });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', PARLEY_MODEL: 'llama3' }).llm).toMatchObject({
      provider: 'openai',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3',
    });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', PARLEY_LLM: 'offline' }).llm).toEqual({ provider: 'offline' });
    expect(loadConfig({ OPENAI_API_KEY: '' }).llm).toEqual({ provider: 'offline' });
  });

  it('names an embedding model for hybrid knowledge-base search (used only if the server offers /v1/embeddings)', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).llm).toMatchObject({ embeddingModel: 'text-embedding-3-small' });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', PARLEY_EMBEDDING_MODEL: 'nomic-embed-text' }).llm).toMatchObject({ embeddingModel: 'nomic-embed-text' });
  });

  it('stops with a one-line message naming the bad variable', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(message({ PORT: 'eighty' })).toMatch(/^Invalid PORT \(got "eighty"\): /);
    expect(message({ PORT: '70000' })).toMatch(/^Invalid PORT/);
    expect(message({ PARLEY_LLM: 'gpt' })).toMatch(/^Invalid PARLEY_LLM \(got "gpt"\)/);
    expect(message({ PARLEY_LLM: 'openai' })).toMatch(/OPENAI_API_KEY or OPENAI_BASE_URL/);
    expect(message({ OPENAI_BASE_URL: 'localhost:11434' })).toMatch(/^Invalid OPENAI_BASE_URL/);
    expect(message({ PARLEY_ADMIN_EMAIL: 'a@b.test' })).toMatch(/set both or neither/);
    expect(message({ PARLEY_ADMIN_EMAIL: 'a@b.test', PARLEY_ADMIN_PASSWORD: 'short' })).toMatch(/^Invalid PARLEY_ADMIN_PASSWORD \(got "\*\*\*"\)/);
    expect(message({ LOG_LEVEL: 'loud' })).toMatch(/^Invalid LOG_LEVEL/);
    for (const m of [message({ PORT: 'x' }), message({ PARLEY_LLM: 'x' })]) expect(m).not.toContain('\n');
  });

  it('reads SMTP settings for e-mail, hides the password in errors and wants a From with them', () => {
    expect(loadConfig({}).mail).toBeNull();
    expect(loadConfig({ SMTP_URL: 'smtp://parley:s3cret@mail.example.org:587', PARLEY_MAIL_FROM: 'Acme Support <help@acme.test>' }).mail).toEqual({
      url: 'smtp://parley:s3cret@mail.example.org:587',
      from: 'Acme Support <help@acme.test>',
    });
    const fail = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return 'no error';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    const bad = fail({ SMTP_URL: 'http://parley:s3cret@mail.example.org', PARLEY_MAIL_FROM: 'help@acme.test' });
    expect(bad).toMatch(/^Invalid SMTP_URL \(got "\*\*\*"\): must look like smtp:/);
    expect(bad).not.toContain('s3cret');
    expect(fail({ SMTP_URL: 'smtp://mail.example.org' })).toMatch(/^Invalid PARLEY_MAIL_FROM: set it with SMTP_URL/);
    expect(fail({ SMTP_URL: 'smtp://mail.example.org', PARLEY_MAIL_FROM: 'nobody' })).toMatch(/^Invalid PARLEY_MAIL_FROM/);
  });

  it('reads DATABASE_URL (PostgreSQL) and REDIS_URL for scale-out, SQLite alone when both are absent', () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: null, redisUrl: null, dbPath: './data/parley.db' });
    const both = loadConfig({ DATABASE_URL: 'postgres://parley:pw@db.internal:5432/parley', REDIS_URL: 'redis://cache.internal:6379/0' });
    expect(both).toMatchObject({ databaseUrl: 'postgres://parley:pw@db.internal:5432/parley', redisUrl: 'redis://cache.internal:6379/0' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/parley' }).databaseUrl).toBe('postgresql://localhost/parley');
    expect(loadConfig({ REDIS_URL: 'rediss://user:pw@cache.example.org:6380' }).redisUrl).toBe('rediss://user:pw@cache.example.org:6380');
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' })).toMatchObject({ databaseUrl: null, redisUrl: null });

    const fail = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return 'no error';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    const mysql = fail({ DATABASE_URL: 'mysql://parley:s3cret@db.internal/parley' });
    expect(mysql).toMatch(/^Invalid DATABASE_URL \(got "\*\*\*"\): must look like postgres:\/\//);
    expect(mysql).not.toContain('s3cret');
    expect(fail({ DATABASE_URL: 'db.internal:5432' })).toMatch(/^Invalid DATABASE_URL/);
    const redis = fail({ REDIS_URL: 'http://:s3cret@cache.internal:6379' });
    expect(redis).toMatch(/^Invalid REDIS_URL \(got "\*\*\*"\): must look like redis:\/\//);
    expect(redis).not.toContain('s3cret');
    expect(fail({ REDIS_URL: 'localhost:6379' })).toMatch(/^Invalid REDIS_URL/);
  });
});
