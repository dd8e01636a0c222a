/**
 * CloudFront sends the same Content-Security-Policy and security headers as the local server:
 * one response headers policy, scripts from this origin plus the inline one the site build hashed,
 * on every behaviour of the distribution (pages, rendered pages, API, media).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtScriptHashes, contentSecurityPolicy, SECURITY_HEADERS } from '../../infra/security-headers.ts';
import { appUnderTest, FAKE_SCRIPT_HASH } from './app-under-test.ts';

const { site } = appUnderTest();
const template = Template.fromStack(site);

type Policy = {
  ResponseHeadersPolicyConfig: {
    SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    CustomHeadersConfig: { Items: { Header: string; Value: string }[] };
  };
};

describe('site stack: response headers policy', () => {
  const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
  const [policyId, policy] = Object.entries(policies)[0] as [string, { Properties: Policy }];

  it("has a CSP allowing only this origin's scripts and the build's hashed inline one, and the other security headers", () => {
    expect(Object.keys(policies)).toHaveLength(1);
    const config = policy.Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(
      site.resolve(config.SecurityHeadersConfig.ContentSecurityPolicy!.ContentSecurityPolicy),
    );
    expect(csp).toContain(`script-src 'self' ${FAKE_SCRIPT_HASH};`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('upgrade-insecure-requests');
    // Photos upload to the media bucket straight from the browser.
    expect(csp).toMatch(/connect-src 'self' https:\/\//);
    expect(config.SecurityHeadersConfig.FrameOptions).toMatchObject({ FrameOption: 'DENY', Override: true });
    expect(config.SecurityHeadersConfig.ContentTypeOptions).toMatchObject({ Override: true });
    expect(config.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
    });
    expect(config.SecurityHeadersConfig.ReferrerPolicy).toMatchObject({
      ReferrerPolicy: 'strict-origin-when-cross-origin',
    });
    expect(config.CustomHeadersConfig.Items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Header: 'Permissions-Policy',
          Value: SECURITY_HEADERS['Permissions-Policy'],
        }),
        expect.objectContaining({
          Header: 'Cross-Origin-Opener-Policy',
          Value: SECURITY_HEADERS['Cross-Origin-Opener-Policy'],
        }),
      ]),
    );
  });

  it('is on every behaviour of the distribution', () => {
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as {
      Properties: {
        DistributionConfig: {
          DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown };
          CacheBehaviors: { PathPattern: string; ResponseHeadersPolicyId: unknown }[];
        };
      };
    }[];
    const config = distribution!.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(config.CacheBehaviors.length).toBeGreaterThan(3);
    for (const behavior of config.CacheBehaviors) {
      expect(behavior.ResponseHeadersPolicyId, behavior.PathPattern).toEqual({ Ref: policyId });
    }
  });
});

describe('builtScriptHashes: the inline script hashes a site build recorded', () => {
  const dist = (hashes?: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tn-hashes-'));
    mkdirSync(path.join(dir, 'client'));
    if (hashes !== undefined) writeFileSync(path.join(dir, 'script-hashes.json'), hashes);
    return path.join(dir, 'client');
  };
  const a = `'sha256-${'A'.repeat(43)}='`;
  const b = `'sha256-${'b/+9'.repeat(10)}xyz='`;

  it('reads them from beside the client folder, each once, and puts them after self', () => {
    const hashes = builtScriptHashes(dist(JSON.stringify([b, a, b])));
    expect(hashes).toEqual([a, b]);
    expect(contentSecurityPolicy({ scriptHashes: hashes })).toContain(`script-src 'self' ${a} ${b}; `);
  });

  it('allows no inline script when the site is not built or inlined none', () => {
    expect(builtScriptHashes(undefined)).toEqual([]);
    expect(builtScriptHashes(dist())).toEqual([]);
    expect(builtScriptHashes(dist('[]'))).toEqual([]);
    expect(contentSecurityPolicy()).toContain("script-src 'self'; ");
  });

  it('refuses a file that is not a list of sha256 sources rather than dropping the hash', () => {
    for (const bad of [
      '{}',
      '["unsafe-inline"]',
      `["'unsafe-inline'"]`,
      '[1]',
      `["'sha384-${'A'.repeat(64)}'"]`,
    ]) {
      expect(() => builtScriptHashes(dist(bad)), bad).toThrow(/sha256/);
    }
    expect(() => builtScriptHashes(dist('not json'))).toThrow();
  });
});
