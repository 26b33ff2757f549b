// The vault's free stock over HTTP: GET /vault/stock, for the depository's staff. What its custody
// accounts hold, what is reserved for allocated trades and accepted instructions, what is free to
// offer; summed by the books, so an offer's warning rests on the same figure the allocation uses.
import { isDepositoryRole } from '../../../domain/custody/controls.ts';
import { vaultStock } from '../../../service/vault/stock.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { AccountStock, errorResponses, Items } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Registers GET /vault/stock. */
export function registerVaultStock(app: Api, context: ServerContext): void {
  app.get(
    '/vault/stock',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['bars'],
        summary: 'the depository’s stock: each custody account’s gold held, reserved and free to offer',
        description:
          'Reserved is what allocated trades and accepted instructions hold; free is what an offer ' +
          'can still be allocated from. The depository’s staff only (403 forbidden for a client bank).',
        response: { 200: Items(AccountStock), ...errorResponses(403) },
      },
    },
    async (request) => {
      const user = userOf(request);
      if (!isDepositoryRole(user.role))
        throw new ApiError('forbidden', 'the vault’s stock is the depository’s to read', 'role');
      const items = await vaultStock(context.ingot, await context.depository());
      return { items: items.map((item) => wire(item)) };
    },
  );
}
