import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import {
  ApiMapping,
  type CfnApi,
  DomainName,
  type HttpApi,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface ApiDomainProps {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** The API's host, e.g. `api.chothainguyen.vn`. */
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

/**
 * The API under a host of our own (a regional ACM certificate in the API's region, an API
 * Gateway custom domain and its Route 53 alias), and the default execute-api endpoint disabled:
 * CloudFront's `/api/*` origin is this host, and the only other way in is gone. The host itself
 * is public (CloudFront must resolve it); the functions refuse any request without the
 * origin-verify secret CloudFront adds (functions/http.ts), so it answers 403 to anyone else.
 */
export class ApiDomain extends Construct {
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.hostedZoneName,
    });
    const certificate = new Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: CertificateValidation.fromDns(zone),
    });
    const domain = new DomainName(this, 'Domain', { domainName: props.domainName, certificate });
    new ApiMapping(this, 'Mapping', { api: props.httpApi, domainName: domain, stage: props.stage });
    new ARecord(this, 'Alias', {
      zone,
      recordName: props.domainName,
      target: RecordTarget.fromAlias(
        new ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId),
      ),
    });
    (props.httpApi.node.defaultChild as CfnApi).disableExecuteApiEndpoint = true;
    this.domainName = props.domainName;
  }
}
