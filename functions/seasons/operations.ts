/**
 * The seasons function's operations, for validation and the API document: the shopper's
 * pre-order routes, the manager's, and the market panel with its reference prices.
 */
import { marketOperations } from '../board/market-operations.ts';
import { preorderManagerOperations } from '../board/preorder-operations.ts';
import { preorderOperations } from '../orders/preorder-operations.ts';

export const operations = {
  ...preorderOperations,
  ...preorderManagerOperations,
  ...marketOperations,
};
