import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { errorBody } from '../../functions/http.ts';
import { ORDER_RATE_LIMITS } from '../../shared/orders/limits.ts';

/**
 * Per-IP request limits at the edge, over WAF's 5-minute window. They are a flood guard in front
 * of the API's own limits (shared/orders/limits.ts: 30 orders an address an hour, 5 a phone; the
 * sign-in codes per phone), not a replacement: set well above what a busy address does in real use.
 *
 * Shoppers on Viettel, VNPT and MobiFone mobile data sit behind carrier-grade NAT, so one public
 * address can carry hundreds of phones, and a Tết peak (about 17 checkouts a second across the
 * exchange) puts many of them on the site at once. The figures below allow, per address and
 * 5 minutes:
 *  - sign-in (`/api/auth/*`): 300 requests, about 150 sign-ins (a code asked and checked, 2
 *    requests each) from one NAT address; a script guessing codes is stopped long before the
 *    per-order and per-phone lockouts would matter;
 *  - checkout (`POST /api/orders`): 150, five times the API's own hourly cap of 30 an address
 *    in 5 minutes, so the API's 429 with its Vietnamese message is what a shopper meets first;
 *  - the whole API (`/api/*`): 6,000, 20 requests a second: browsing with search-as-you-type and
 *    the freshness islands makes 1 to 2 requests a second per active shopper, so a NAT address
 *    with a few dozen shoppers at once stays under it, while a scraper or a flood does not.
 */
export const EDGE_RATE_LIMITS = {
  signIn: { limit: 300, pathPrefix: '/api/auth/' },
  checkout: { limit: 5 * ORDER_RATE_LIMITS.ordersPerIpPerHour, method: 'POST', path: '/api/orders' },
  api: { limit: 6_000, pathPrefix: '/api/' },
} as const;

/** WAF's window for the limits above (seconds). */
export const EDGE_RATE_WINDOW_SECONDS = 300;

/**
 * Rules of the common rule set that run in count mode instead of blocking, each for a reason of
 * this exchange:
 *  - `SizeRestrictions_BODY` (bodies over 8 KB): a product's attribute values may hold 5,000
 *    characters each and Vietnamese text takes 2 to 3 bytes a character, so a seller's valid
 *    listing can exceed 8 KB; the API refuses bodies over 1 MB itself (functions/http.ts) and
 *    photos never pass through CloudFront (signed uploads straight to S3);
 *  - `NoUserAgent_HEADER`: VNPay's IPN and the bank's transfer notifications are calls from their
 *    servers whose headers we do not control; a blocked IPN leaves a paid order unsettled until
 *    reconciliation. Both calls are signed and checked by the API.
 */
export const COMMON_RULE_SET_COUNT_ONLY = ['SizeRestrictions_BODY', 'NoUserAgent_HEADER'] as const;

/** The managed rule groups, in evaluation order after the rate limits. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** The JSON body of a request refused by a rate limit: the API's error shape, in Vietnamese. */
export const RATE_LIMITED_BODY = JSON.stringify(
  errorBody(
    'request.rate_limited',
    'Quá nhiều yêu cầu từ địa chỉ mạng này; vui lòng thử lại sau ít phút / Too many requests from this address; try again in a few minutes',
  ),
);

export interface EdgeWebAclProps {
  /** Prefix of metric and log names (`tn-exchange-<env>`). */
  readonly namePrefix: string;
}

/**
 * The web ACL in front of the CloudFront distribution (scope CLOUDFRONT, so its stack is in
 * us-east-1): per-IP rate limits on sign-in, checkout and the whole API, then AWS's IP reputation
 * list, common rule set and known bad inputs. Every rule publishes CloudWatch metrics and sampled
 * requests; full logs go to a CloudWatch log group with the authorization and cookie headers redacted.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.namePrefix}-${name}`,
    });
    const rateLimited: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'rateLimited',
          responseHeaders: [{ name: 'retry-after', value: String(EDGE_RATE_WINDOW_SECONDS) }],
        },
      },
    };
    const path = (
      positionalConstraint: 'STARTS_WITH' | 'EXACTLY',
      value: string,
    ): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint,
        searchString: value,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const method = (value: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        searchString: value,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const rateRule = (
      name: string,
      priority: number,
      limit: number,
      scopeDownStatement: CfnWebACL.StatementProperty,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: rateLimited,
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit,
          evaluationWindowSec: EDGE_RATE_WINDOW_SECONDS,
          scopeDownStatement,
        },
      },
      visibilityConfig: metric(name),
    });
    const managed = (
      name: string,
      priority: number,
      countOnly: readonly string[] = [],
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0
            ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: metric(name),
    });

    const { signIn, checkout, api } = EDGE_RATE_LIMITS;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Thai Nguyen exchange - rate limits per IP and AWS managed rules in front of CloudFront',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY },
      },
      rules: [
        managed(MANAGED_RULE_GROUPS[0], 0),
        rateRule('RateLimitSignIn', 1, signIn.limit, path('STARTS_WITH', signIn.pathPrefix)),
        rateRule('RateLimitCheckout', 2, checkout.limit, {
          andStatement: { statements: [method(checkout.method), path('EXACTLY', checkout.path)] },
        }),
        rateRule('RateLimitApi', 3, api.limit, path('STARTS_WITH', api.pathPrefix)),
        managed(MANAGED_RULE_GROUPS[1], 4, COMMON_RULE_SET_COUNT_ONLY),
        managed(MANAGED_RULE_GROUPS[2], 5),
      ],
    });

    // WAF logs to CloudWatch Logs only into a group named aws-waf-logs-*, in the web ACL's region.
    const logGroupName = `aws-waf-logs-${props.namePrefix}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Session tokens and cookies never reach the logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(this.logGroup);
  }
}
