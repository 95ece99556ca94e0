import { ConfigError } from '@dropgate/api/util-config';
import { allowedNetworkOf, isPublicUnicast, parseAllowedNetworks } from './allowed-networks';

describe('isPublicUnicast', () => {
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'should accept the public address %s',
    (address) => expect(isPublicUnicast(address)).toBe(true),
  );

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['168.63.129.16', 'Azure wire server'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'documentation'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique local'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2001:db8::1', 'documentation'],
    ['not-an-address', 'not an address'],
  ])('should refuse %s (%s)', (address) => {
    expect(isPublicUnicast(address)).toBe(false);
  });
});

describe('parseAllowedNetworks', () => {
  it('should read a comma-separated list with spaces and empty items', () => {
    const sut = parseAllowedNetworks(' 10.20.0.0/16, 127.0.0.0/8,,::1/128 ');
    expect(sut.map((network) => network.cidr)).toEqual(['10.20.0.0/16', '127.0.0.0/8', '::1/128']);
  });

  it('should read an empty list as no networks', () => {
    expect(parseAllowedNetworks('')).toEqual([]);
  });

  it.each([
    ['10.20.3.4', '10.20.0.0/16', true],
    ['10.21.0.1', '10.20.0.0/16', false],
    ['::ffff:127.0.0.1', '127.0.0.0/8', true],
    ['127.0.0.1', '::ffff:127.0.0.0/104', true],
    ['::1', '::1/128', true],
    ['::2', '::1/128', false],
    ['127.0.0.1', '::1/128', false],
    ['10.0.0.7', '10.0.0.7', true],
    ['10.0.0.8', '10.0.0.7', false],
  ])('should find %s in %s: %s', (address, cidr, inside) => {
    expect(allowedNetworkOf(address, parseAllowedNetworks(cidr)) !== undefined).toBe(inside);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', '0x7f.1/8', 'example.com', '::1/129', '10.0.0.0/x'])(
    'should reject %s with a message naming WEBHOOK_ALLOWED_CIDRS',
    (cidr) => {
      const act = () => parseAllowedNetworks(`127.0.0.0/8,${cidr}`);
      expect(act).toThrow(ConfigError);
      expect(act).toThrow(
        `Invalid configuration: WEBHOOK_ALLOWED_CIDRS has "${cidr}", which is not a network`,
      );
    },
  );
});
