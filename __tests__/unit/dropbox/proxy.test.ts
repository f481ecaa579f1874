import { describe, expect, test } from '@jest/globals';
import {
  bypassesProxy,
  describeProxy,
  describeProxySettings,
  proxyFor,
  type ProxyEnvironment,
} from '../../../src/dropbox/proxy.ts';

const API = 'https://api.dropboxapi.com/2/files/upload';
const CONTENT = 'https://content.dropboxapi.com/2/files/upload_session/append_v2';

describe('bypassesProxy: the toolkit’s NO_PROXY rules', () => {
  test.each<[string, string, ProxyEnvironment, boolean]>([
    ['no NO_PROXY', API, {}, false],
    ['localhost is loopback', 'http://localhost:8080/', {}, true],
    ['LOCALHOST in capitals', 'http://LOCALHOST/', {}, true],
    ['127.0.0.1', 'http://127.0.0.1:1234/', {}, true],
    ['anywhere in 127/8', 'https://127.9.8.7/', {}, true],
    ['[::1]', 'http://[::1]:80/', {}, true],
    ['the long form of ::1', 'http://[0:0:0:0:0:0:0:1]/', {}, true],
    [
      'a name that only resolves to loopback is not known to be loopback',
      'http://fake-dropbox.test:80/',
      {},
      false,
    ],
    ['* matches everything', API, { NO_PROXY: '*' }, true],
    ['the exact host', API, { NO_PROXY: 'api.dropboxapi.com' }, true],
    ['a parent domain matches its subdomains', API, { NO_PROXY: 'dropboxapi.com' }, true],
    ['a parent domain with a leading dot', CONTENT, { NO_PROXY: '.dropboxapi.com' }, true],
    [
      'a leading-dot entry does not match the bare domain',
      'https://dropboxapi.com/',
      { NO_PROXY: '.dropboxapi.com' },
      false,
    ],
    ['a suffix only matches at a dot', API, { NO_PROXY: 'boxapi.com' }, false],
    ['another domain', API, { NO_PROXY: 'dropbox.com' }, false],
    ['case does not matter', API, { NO_PROXY: 'API.DropboxAPI.com' }, true],
    [
      'entries are trimmed and empty ones skipped',
      API,
      { NO_PROXY: ' example.org ,, api.dropboxapi.com ' },
      true,
    ],
    ['host:port with the https default port', API, { NO_PROXY: 'api.dropboxapi.com:443' }, true],
    ['host:port with another port', API, { NO_PROXY: 'api.dropboxapi.com:8443' }, false],
    [
      'host:port with the http default port',
      'http://fake-dropbox.test/',
      { NO_PROXY: 'fake-dropbox.test:80' },
      true,
    ],
    [
      'host:port with an explicit port',
      'http://fake-dropbox.test:4567/',
      { NO_PROXY: 'fake-dropbox.test:4567' },
      true,
    ],
    ['domain:port matches subdomains on that port', API, { NO_PROXY: 'dropboxapi.com:443' }, true],
    ['an IP address entry', 'https://10.1.2.3/', { NO_PROXY: '10.1.2.3' }, true],
    [
      'CIDR ranges are not understood (as in the toolkit)',
      'https://10.1.2.3/',
      { NO_PROXY: '10.0.0.0/8' },
      false,
    ],
    ['no_proxy wins over NO_PROXY', API, { no_proxy: 'example.org', NO_PROXY: 'api.dropboxapi.com' }, false],
    ['an empty no_proxy falls back to NO_PROXY', API, { no_proxy: '', NO_PROXY: 'api.dropboxapi.com' }, true],
    ['only commas', API, { NO_PROXY: ',, ,' }, false],
  ])('%s', (_name, target, env, expected) => {
    expect(bypassesProxy(new URL(target), env)).toBe(expected);
  });
});

describe('proxyFor: which variable applies', () => {
  test.each<[string, string, ProxyEnvironment, string | undefined, string | undefined]>([
    ['nothing set', API, {}, undefined, undefined],
    [
      'HTTPS_PROXY for https',
      API,
      { HTTPS_PROXY: 'http://proxy.corp:3128' },
      'http://proxy.corp:3128/',
      'HTTPS_PROXY',
    ],
    [
      'https_proxy wins over HTTPS_PROXY',
      API,
      { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' },
      'http://a:1/',
      'https_proxy',
    ],
    [
      'an empty https_proxy falls back to HTTPS_PROXY',
      API,
      { https_proxy: '', HTTPS_PROXY: 'http://b:2' },
      'http://b:2/',
      'HTTPS_PROXY',
    ],
    [
      'https does not fall back to HTTP_PROXY',
      API,
      { HTTP_PROXY: 'http://proxy.corp:3128' },
      undefined,
      undefined,
    ],
    [
      'HTTP_PROXY for http',
      'http://fake-dropbox.test:80/',
      { HTTP_PROXY: 'http://p:8' },
      'http://p:8/',
      'HTTP_PROXY',
    ],
    [
      'http_proxy wins over HTTP_PROXY',
      'http://example.org/',
      { http_proxy: 'http://a:1', HTTP_PROXY: 'http://b:2' },
      'http://a:1/',
      'http_proxy',
    ],
    [
      'http does not use HTTPS_PROXY',
      'http://example.org/',
      { HTTPS_PROXY: 'http://p:8' },
      undefined,
      undefined,
    ],
    [
      'host:port without a scheme is http://',
      API,
      { HTTPS_PROXY: 'proxy.corp:3128' },
      'http://proxy.corp:3128/',
      'HTTPS_PROXY',
    ],
    [
      'an IP and port without a scheme',
      API,
      { HTTPS_PROXY: '10.0.0.1:3128' },
      'http://10.0.0.1:3128/',
      'HTTPS_PROXY',
    ],
    [
      'surrounding whitespace is ignored',
      API,
      { HTTPS_PROXY: ' http://p:8 \n' },
      'http://p:8/',
      'HTTPS_PROXY',
    ],
    [
      'an https:// proxy',
      API,
      { HTTPS_PROXY: 'https://proxy.corp:8443' },
      'https://proxy.corp:8443/',
      'HTTPS_PROXY',
    ],
    ['a socks proxy is not used', API, { HTTPS_PROXY: 'socks5://proxy.corp:1080' }, undefined, undefined],
    ['garbage is not used', API, { HTTPS_PROXY: 'http://' }, undefined, undefined],
    [
      'NO_PROXY exempts the host',
      API,
      { HTTPS_PROXY: 'http://p:8', NO_PROXY: '.dropboxapi.com' },
      undefined,
      undefined,
    ],
    ['loopback is exempt', 'http://127.0.0.1:9000/', { HTTP_PROXY: 'http://p:8' }, undefined, undefined],
  ])('%s', (_name, target, env, proxy, variable) => {
    const choice = proxyFor(new URL(target), env);
    expect(choice?.url.href).toBe(proxy);
    expect(choice?.variable).toBe(variable);
  });

  test('credentials in the proxy URL are kept for the Proxy-Authorization header, never described', () => {
    const choice = proxyFor(new URL(API), { HTTPS_PROXY: 'http://ci%40corp:p%3Ass@proxy.corp:3128' });
    expect(choice?.url.username).toBe('ci%40corp');
    expect(choice?.url.password).toBe('p%3Ass');
    expect(describeProxy(choice!.url)).toBe('http://proxy.corp:3128');
  });
});

describe('describeProxySettings', () => {
  test.each<[string, ProxyEnvironment, string | undefined]>([
    ['no proxy variable', { NO_PROXY: 'example.org' }, undefined],
    [
      'one proxy for https',
      { HTTPS_PROXY: 'http://user:secret@proxy.corp:3128' },
      'Proxy: https requests go through http://proxy.corp:3128 (HTTPS_PROXY); loopback hosts go direct.',
    ],
    [
      'both schemes and NO_PROXY',
      { https_proxy: 'proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:80', no_proxy: ' .corp,localhost ' },
      'Proxy: https requests go through http://proxy.corp:3128 (https_proxy); http requests go through ' +
        'http://proxy.corp (HTTP_PROXY); loopback hosts and no_proxy (.corp,localhost) go direct.',
    ],
    [
      'a value that is no proxy URL',
      { HTTPS_PROXY: 'socks5://user:secret@proxy.corp:1080' },
      'Proxy: HTTPS_PROXY is not an http:// or https:// proxy URL and is ignored; loopback hosts go direct.',
    ],
  ])('%s', (_name, env, expected) => {
    expect(describeProxySettings(env)).toBe(expected);
    expect(describeProxySettings(env) ?? '').not.toContain('secret');
  });
});
