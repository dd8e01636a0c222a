/**
 * DynamoDB failures made by hand, shaped as the SDK throws them, and a client middleware that
 * throws them into chosen requests. DynamoDB Local serializes transactions and never throttles,
 * so this is how tests meet TransactionConflict and throttling at all.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A TransactionCanceledException with one reason code per item. */
export function cancelled(...codes: string[]): Error {
  return Object.assign(new Error(`Transaction cancelled, please refer cancellation reasons [${codes}]`), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** An error with only a name, e.g. `ThrottlingException`. */
export const named = (name: string) => Object.assign(new Error(name), { name });

/**
 * Makes `decide` look at every request of `client` (command name, input) before it is sent: an
 * error it returns is thrown instead of sending. Returns a function that removes the middleware.
 */
export function injectFaults(
  client: DynamoDBClient,
  decide: (command: string, input: Record<string, unknown>) => Error | undefined,
): () => void {
  const name = `injectFaults${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = decide(String(context.commandName), args.input as Record<string, unknown>);
      if (fault) throw fault;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
}
