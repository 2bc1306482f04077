import { describe, expect, it } from 'vitest';
import { getClientConfigStr } from './client-config.ts';

describe('getClientConfigStr (ConfigUtils, Properties in ConcurrentHashMap order)', () => {
  it('matches Java for a config that makes the map grow', () => {
    let cfg = '';
    for (let i = 1; i <= 12; i++) cfg += `server.${i}=127.0.0.1:2881:3881:participant;${2180 + i}\n`;
    cfg += 'version=1\n';
    // Output of ConfigUtils.getClientConfigStr from zookeeper 3.8.0 on OpenJDK 17.
    expect(getClientConfigStr(cfg)).toBe('1 0.0.0.0:2190,0.0.0.0:2191,0.0.0.0:2182,0.0.0.0:2181,0.0.0.0:2192,0.0.0.0:2186,' +
      '0.0.0.0:2185,0.0.0.0:2184,0.0.0.0:2183,0.0.0.0:2189,0.0.0.0:2188,0.0.0.0:2187');
  });

  it('gives servers without a client address an empty entry', () => {
    expect(getClientConfigStr('server.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882:participant\n' +
      'server.3=127.0.0.1:2883:3883:participant\nversion=0')).toBe('0 ,,');
    expect(getClientConfigStr('')).toBe(' ');
  });
});
