/**
 * CloudFront sends the same Content-Security-Policy and security headers as the local server:
 * one response headers policy, scripts from this origin only, on every behaviour of the
 * distribution (pages, rendered pages, API, media).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../infra/security-headers.ts';
import { appUnderTest } from './app-under-test.ts';

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

  it('has a CSP with no inline scripts, and the other security headers', () => {
    expect(Object.keys(policies)).toHaveLength(1);
    const config = policy.Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(
      site.resolve(config.SecurityHeadersConfig.ContentSecurityPolicy!.ContentSecurityPolicy),
    );
    expect(csp).toContain("script-src 'self';");
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
