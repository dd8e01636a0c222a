import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { CustomDomain } from '../env/config.ts';
import { NotFoundPage } from '../constructs/not-found-page.ts';
import { EdgeWebAcl } from '../constructs/web-acl.ts';

/** CloudFront takes its web ACL, certificate and Lambda@Edge functions from this region only. */
export const EDGE_REGION = 'us-east-1';

export interface EdgeStackProps extends StackProps {
  /** `tn-exchange-<env>`: names of the WAF metrics and log group. */
  readonly namePrefix: string;
  /** With a custom domain: the storefront's certificate (DNS-validated in its hosted zone). */
  readonly customDomain?: CustomDomain;
}

/**
 * What CloudFront needs from us-east-1: the WAF web ACL (scope CLOUDFRONT), the storefront's ACM
 * certificate when a custom domain is configured, and the Lambda@Edge 404 page. The site stack,
 * in the environment's own region, reads their ARNs across regions (CDK's weak cross-stack
 * references, `Fn::GetStackOutput`; `crossRegionReferences` is on for the site stack), so one
 * `cdk deploy` orders the two stacks itself.
 */
export class EdgeStack extends Stack {
  readonly webAcl: EdgeWebAcl;
  readonly notFoundPage: NotFoundPage;
  readonly certificate?: Certificate;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    if (props.env?.region !== EDGE_REGION) {
      throw new Error(
        `The edge stack must be deployed to ${EDGE_REGION} (CloudFront's WAF and certificates)`,
      );
    }
    this.webAcl = new EdgeWebAcl(this, 'Firewall', { namePrefix: props.namePrefix });
    this.notFoundPage = new NotFoundPage(this, 'NotFoundPage');

    if (props.customDomain) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: props.customDomain.hostedZoneId,
        zoneName: props.customDomain.hostedZoneName,
      });
      this.certificate = new Certificate(this, 'SiteCertificate', {
        domainName: props.customDomain.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
      new CfnOutput(this, 'SiteCertificateArn', { value: this.certificate.certificateArn });
    }
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.webAcl.attrArn });
  }
}
