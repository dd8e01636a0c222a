import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type ILayerVersion,
  LayerVersion,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/db/table.ts';
import packageJson from '../../package.json' with { type: 'json' };

export type TableAccess = 'read' | 'readWrite';

/**
 * DynamoDB actions per access level. Transactions need no actions of their own: IAM checks
 * TransactWriteItems / TransactGetItems against the Put/Update/Delete/ConditionCheck/Get inside.
 * Stream actions are left out on purpose: no API function reads the stream (the storefront
 * rebuild's trigger gets its stream read from its event source, see constructs/site-rebuild.ts).
 */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: [
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
  ],
  readWrite: [
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ],
};

/**
 * The Powertools for AWS Lambda (TypeScript) release the code is built and tested against
 * (package.json pins one version for logger, metrics and tracer).
 */
export const POWERTOOLS_VERSION = packageJson.dependencies['@aws-lambda-powertools/logger'];

/**
 * Powertools' public Lambda layer of exactly that release: AWS publishes its ARN per region in
 * Parameter Store under this name (docs: "Lambda layers", Powertools for AWS Lambda (TypeScript)).
 * CloudFormation resolves it at deploy time, so synth stays offline.
 */
export const POWERTOOLS_LAYER_PARAMETER = `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`;

/** Modules that the Powertools layer puts on every function (under /opt/nodejs/node_modules). */
export const LAYER_MODULES = ['@aws-lambda-powertools/*', 'aws-xray-sdk-core'];

/**
 * Bundling every function gets. ESM because the code base is ESM; the banner gives bundled CJS
 * dependencies a `require` (esbuild's ESM output has none). The AWS SDK v3 comes with the
 * Node.js 22 runtime and Powertools (with the X-Ray SDK its tracer uses) with its layer, so both
 * stay out of the bundle.
 */
export const DEFAULT_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  // Vietnamese text stays UTF-8 instead of \u escapes: smaller bundles.
  charset: Charset.UTF8,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  externalModules: ['@aws-sdk/*', ...LAYER_MODULES],
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

export interface ExchangeFunctionProps {
  /** Absolute path of the handler file (resolve FUNCTIONS[name].entry against the repo root). */
  readonly entry: string;
  readonly memorySize?: number;
  /** @default 10 s — API Gateway gives up at 30 s anyway. */
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  /**
   * Merged over DEFAULT_BUNDLING, so a function can add e.g. `nodeModules: ['sharp']` or
   * `commandHooks` without repeating the defaults.
   */
  readonly bundling?: Partial<BundlingOptions>;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  readonly description?: string;
  /**
   * The function's name in logs and metrics (POWERTOOLS_SERVICE_NAME, the `service` dimension):
   * its key in functions/routes.ts, or `siteRender` / `siteInvalidate`.
   */
  readonly service: string;
}

/** The Powertools layer, one per stack. */
function powertoolsLayer(scope: Construct) {
  const stack = Stack.of(scope);
  const id = 'PowertoolsLayer';
  const existing = stack.node.tryFindChild(id) as ILayerVersion | undefined;
  return (
    existing ??
    LayerVersion.fromLayerVersionArn(
      stack,
      id,
      StringParameter.valueForStringParameter(stack, POWERTOOLS_LAYER_PARAMETER),
    )
  );
}

/** The deployment environment (`-c env=…`); today's single deployment is `prod`. */
export function deploymentEnvironment(scope: Construct): string {
  const env: unknown = scope.node.tryGetContext('env');
  return typeof env === 'string' && env ? env : 'prod';
}

/** CloudWatch namespace of the exchange's metrics in one environment. */
export const metricsNamespace = (env: string) => `TnExchange/${env}`;

/**
 * One Lambda function of the exchange with the project's defaults fixed in one place: Node.js 22
 * on arm64, ESM bundle with source maps, JSON logs to its own log group with a retention, and an
 * own role that may write only to that log group (instead of AWSLambdaBasicExecutionRole, which
 * allows logs:* on every log group of the account). Table access is added with `bindTable`.
 */
export class ExchangeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ExchangeFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      // X-Ray: the invocation, and each AWS SDK call through the Powertools Tracer (functions/observability.ts).
      tracing: Tracing.ACTIVE,
      environment: {
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools Logger, Metrics and Tracer (shared/observability/, README "Logs, metrics and traces").
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(deploymentEnvironment(this)),
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      layers: [powertoolsLayer(this)],
      bundling: { ...DEFAULT_BUNDLING, ...props.bundling },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords take no resource narrower than * (X-Ray has no resource-level permissions for them).',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the Lambda runtime the project targets (shared/STACK.md); moving to 24 is a deliberate, tested upgrade.',
    });
  }

  /**
   * Let the function use the table: sets TABLE_NAME and grants exactly the actions of `access`
   * on the table and on each GSI named in shared/db/table.ts. Index ARNs are listed one by one
   * (not `index/*` as `grantReadData` does) so the policy has no wildcard to justify.
   */
  bindTable(table: ITable, access: TableAccess): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    Grant.addToPrincipal({
      grantee: this.role,
      actions: [...TABLE_ACTIONS[access]],
      resourceArns: [
        table.tableArn,
        ...TABLE.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      ],
    });
  }

  /**
   * Let the function use the media bucket: sets MEDIA_BUCKET and grants object reads only under
   * the `read` prefixes and object writes only under the `write` prefixes. No List and no Delete:
   * a function that knows its keys needs neither.
   */
  bindMediaBucket(bucket: IBucket, access: { read?: readonly string[]; write?: readonly string[] }): void {
    this.function.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
    // Each wildcard resource is acknowledged for cdk-nag by its exact text. A plain reference to a
    // bucket of another stack is written one way when cdk-nag runs in tests (a GetAtt) and another
    // once synth has resolved it (a GetStackOutput with a generated name), so the grant uses an
    // explicit export instead, which reads the same at both times. The bucket is retained and its
    // ARN never changes, so the export can never block a deployment.
    const producer = Stack.of(bucket);
    const bucketArn = producer === Stack.of(this) ? bucket.bucketArn : producer.exportValue(bucket.bucketArn);
    const grant = (actions: string[], prefixes: readonly string[] = []) => {
      if (prefixes.length === 0) return;
      Grant.addToPrincipal({
        grantee: this.role,
        actions,
        resourceArns: prefixes.map((prefix) => `${bucketArn}/${prefix}*`),
      });
      for (const prefix of prefixes) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagText(Stack.of(this), bucketArn)}/${prefix}*]`,
          reason: `Objects under ${prefix} in the media bucket, whose keys are ids minted per photo: no narrower resource exists. ${actions.join(', ')} only; no List or Delete.`,
        });
      }
    };
    // GetObjectVersion: uploads are read by the version id their event names (versioned bucket).
    grant(['s3:GetObject', 's3:GetObjectVersion'], access.read);
    grant(['s3:PutObject'], access.write);
  }
}

/**
 * How cdk-nag writes a value in a finding id (as its internal flattenCfnReference does):
 * `<LogicalId.Attr>` for a GetAtt, `<LogicalId>` for a Ref, the export name for an ImportValue.
 */
export function nagText(stack: Stack, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::GetAtt']))
      return `<${visit(fn['Fn::GetAtt'][0])}.${visit(fn['Fn::GetAtt'][1])}>`;
    if (fn['Fn::ImportValue']) return visit(fn['Fn::ImportValue']);
    if (fn.Ref) return `<${visit(fn.Ref)}>`;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    return JSON.stringify(node);
  };
  return visit(stack.resolve(value));
}
