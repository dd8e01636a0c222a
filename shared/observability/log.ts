/**
 * The one logger of the exchange (Powertools Logger), used by every function and by the domain.
 *
 *  - In Lambda each entry is one JSON object: level, message, timestamp, `service`
 *    (POWERTOOLS_SERVICE_NAME), `correlation_id`, the Lambda request id (`function_request_id`),
 *    cold start, function name, X-Ray trace id, then the entry's own attributes.
 *  - Locally (not in Lambda, or LOG_FORMAT=line) the same entry is one readable line:
 *    `12:03:04.567 WARN  notice not sent  cid=TN-7K3QX2 error="…"`.
 *
 * Every entry goes through redact.ts before it is printed: a phone number keeps its last 3 digits;
 * names, addresses, one-time codes, tokens and secrets never reach the output.
 */
import { Logger, LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redact } from './redact.ts';
import { currentLogScope } from './scope.ts';

export type LogOutput = 'json' | 'line';
export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Where printed entries go: stdout, stderr for warnings and errors. Tests pass their own. */
export type LogSink = (text: string, level: LogLevelName) => void;

const toStreams: LogSink = (text, level) =>
  (level === 'WARN' || level === 'ERROR' ? process.stderr : process.stdout).write(`${text}\n`);

/** Standard keys first (Powertools' names), then the correlation id, then the entry's own. */
class ExchangeLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const scope = currentLogScope();
    const lambda = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        correlation_id: scope.correlationId,
        function_request_id: lambda?.awsRequestId ?? scope.requestId,
        cold_start: lambda?.coldStart,
        function_name: lambda?.functionName,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additional);
  }
}

/** Keys the readable line shows in its own way, or leaves out (the function, trace, cold start). */
const LINE_HIDDEN = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'correlation_id',
  'function_request_id',
  'cold_start',
  'function_name',
  'xray_trace_id',
  'sampling_rate',
]);

/** An error as Powertools formats it, shortened for one line: `Error: boom @ file.ts:12`. */
function shortError(value: unknown): string | undefined {
  const error = value as { name?: unknown; message?: unknown; location?: unknown; stack?: unknown } | null;
  if (!error || typeof error !== 'object' || typeof error.message !== 'string' || !('stack' in error)) {
    return undefined;
  }
  const where = typeof error.location === 'string' && error.location ? ` @ ${error.location}` : '';
  return `${String(error.name ?? 'Error')}: ${error.message}${where}`;
}

function lineValue(value: unknown): string {
  const shown = shortError(value) ?? value;
  if (typeof shown === 'string') return /[\s"=]/.test(shown) ? JSON.stringify(shown) : shown;
  return JSON.stringify(shown);
}

/** One readable line for a local terminal. */
export function formatLine(entry: LogAttributes): string {
  const time = typeof entry.timestamp === 'string' ? entry.timestamp.slice(11, 23) : '';
  const level = String(entry.level ?? '').padEnd(5);
  const extra = Object.entries(entry)
    .filter(([key, value]) => !LINE_HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${lineValue(value)}`);
  const cid = entry.correlation_id ? `cid=${String(entry.correlation_id)}` : '';
  return [time, level, String(entry.message ?? ''), cid, ...extra]
    .filter(Boolean)
    .join('  ')
    .replace(/\n/g, '\\n');
}

class ExchangeLogger extends Logger {
  readonly #output: LogOutput;
  readonly #sink: LogSink;

  constructor(options: { service: string; level: LogLevelName; output: LogOutput; sink: LogSink }) {
    super({
      serviceName: options.service,
      logLevel: options.level,
      logFormatter: new ExchangeLogFormatter(),
    });
    this.#output = options.output;
    this.#sink = options.sink;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const entry = redact(log.getAttributes()) as LogAttributes;
    const level = String(entry.level ?? 'INFO').toUpperCase() as LogLevelName;
    const text = this.#output === 'json' ? JSON.stringify(entry) : formatLine(entry);
    this.#sink(text, level === ('CRITICAL' as LogLevelName) ? 'ERROR' : level);
  }
}

export interface LoggerOptions {
  service?: string;
  level?: LogLevelName;
  output?: LogOutput;
  sink?: LogSink;
}

export type ExchangeLog = Logger;

/** A logger configured from the environment unless told otherwise (tests pass a sink). */
export function createLogger(options: LoggerOptions = {}): ExchangeLog {
  const inLambda = !!process.env.AWS_LAMBDA_FUNCTION_NAME;
  const wanted = process.env.LOG_FORMAT;
  return new ExchangeLogger({
    service: options.service ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'local',
    level: options.level ?? logLevelFromEnv(),
    output: options.output ?? (wanted === 'json' || wanted === 'line' ? wanted : inLambda ? 'json' : 'line'),
    sink: options.sink ?? toStreams,
  });
}

function logLevelFromEnv(): LogLevelName {
  const level = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return (['DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === level) ?? 'INFO';
}

let current: ExchangeLog | undefined;

/** The process's logger, built on first use. */
export function log(): ExchangeLog {
  current ??= createLogger();
  return current;
}

/** Replaces the process's logger (tests capturing output); returns the previous one. */
export function useLogger(logger: ExchangeLog): ExchangeLog | undefined {
  const previous = current;
  current = logger;
  return previous;
}
