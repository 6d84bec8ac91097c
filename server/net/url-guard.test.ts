import { describe, expect, it } from 'vitest';
import { assertPublicUrl, isPrivateAddress, UrlRefused } from './url-guard.ts';

describe('url guard', () => {
  it('knows private, loopback and link-local addresses of both families', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd00::5', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses loopback, private and metadata URLs by default, and allows them when the owner said so', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/hook', 'http://0x7f000001/x']) {
      await expect(assertPublicUrl(url), url).rejects.toBeInstanceOf(UrlRefused);
    }
    await expect(assertPublicUrl('ftp://example.com/x')).rejects.toBeInstanceOf(UrlRefused);
    await expect(assertPublicUrl('http://user:pw@93.184.216.34/x')).rejects.toBeInstanceOf(UrlRefused);
    expect((await assertPublicUrl('http://127.0.0.1:9/x', { allowPrivate: true })).port).toBe('9');
    expect((await assertPublicUrl('https://93.184.216.34/hook')).hostname).toBe('93.184.216.34');
  });
});
