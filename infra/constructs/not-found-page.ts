import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { CompositePrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  Runtime,
  type IVersion,
} from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { nagText } from './exchange-function.ts';

/** The storefront's own 404 pages in the built site (site/src/pages/404.astro and en/404.astro). */
export const NOT_FOUND_PAGES = { vi: '/404.html', en: '/en/404.html' } as const;

/**
 * Lambda@Edge, origin response of the site bucket's behaviour only: S3 answers 403 (no list
 * permission through OAC) or 404 for a key that does not exist; this turns that into a 404 with
 * the storefront's 404 page (the English one under /en/), read through the same distribution (so
 * from its cache). The API's behaviours never run it, so API errors stay JSON; the rendered pages
 * answer their own 404. A distribution-wide custom error response would have replaced the API's
 * JSON 404s too. If the page itself cannot be read, a short page says the same.
 *
 * CommonJS, no dependencies (inline code); Lambda@Edge allows no environment variables.
 */
export const NOT_FOUND_PAGE_CODE = `'use strict';
const PAGES = ${JSON.stringify(NOT_FOUND_PAGES)};
const FALLBACK = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Không tìm thấy trang</title>' +
  '<p>Không tìm thấy trang này. <a href="/">Về trang chủ</a></p></html>';
exports.handler = async (event) => {
  const cf = event.Records[0].cf;
  const status = Number(cf.response.status);
  if (status !== 403 && status !== 404) return cf.response;
  const page = cf.request.uri === '/en' || cf.request.uri.startsWith('/en/') ? PAGES.en : PAGES.vi;
  let body = FALLBACK;
  if (cf.request.uri !== page) {
    try {
      const answer = await fetch('https://' + cf.config.distributionDomainName + page, {
        signal: AbortSignal.timeout(3000),
      });
      if (answer.ok) body = await answer.text();
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', message: '404 page not read', page, error: String(error) }));
    }
  }
  return {
    status: '404',
    statusDescription: 'Not Found',
    headers: {
      'content-type': [{ key: 'Content-Type', value: 'text/html; charset=utf-8' }],
      'cache-control': [{ key: 'Cache-Control', value: 'public, max-age=60' }],
    },
    body,
  };
};
`;

/**
 * The function above as a Lambda@Edge version. Must be created in us-east-1 (edge-stack.ts); its
 * log groups are created by Lambda@Edge in each region where it runs (`/aws/lambda/us-east-1.<name>`).
 */
export class NotFoundPage extends Construct {
  readonly function: LambdaFunction;
  readonly version: IVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const role = new Role(this, 'Role', {
      assumedBy: new CompositePrincipal(
        new ServicePrincipal('lambda.amazonaws.com'),
        new ServicePrincipal('edgelambda.amazonaws.com'),
      ),
      description: 'Lambda@Edge 404 page of the storefront: writes its logs, nothing else',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`arn:${stack.partition}:logs:*:${stack.account}:log-group:/aws/lambda/us-east-1.*`],
      }),
    );
    this.function = new LambdaFunction(this, 'Function', {
      description: "The storefront's 404 page for missing keys of the site bucket (origin response)",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: Code.fromInline(NOT_FOUND_PAGE_CODE),
      memorySize: 128,
      timeout: Duration.seconds(5),
      role,
    });
    this.version = this.function.currentVersion;

    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${nagText(stack, stack.partition)}:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.*]`,
      reason:
        'Lambda@Edge writes its logs to a group named after the function in whichever region served the request: the region cannot be narrowed, and the name is generated.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x like every function of the project (shared/STACK.md); moving to 24 is a deliberate, tested upgrade.',
    });
  }
}
