// The bar list printed as PDF, streamed: a numbered copy for a cleared user, drawn a page at a time
// as the bars are read from one snapshot of the books and sent as each page is finished (chunked,
// with no length), other requests answered between slices of the drawing. A list longer than the
// limit is refused before a copy is numbered, and only so many print at once.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { openBarListPrint } from '../../../service/correspondence/barlist-print.ts';
import { visibleAccount } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { SERVER_LIMITS, type ServerLimits } from '../../limits.ts';
import { errorResponses, Identifier, IsoDate } from '../../schemas.ts';
import { yielding } from '../../yielding.ts';
import { ROW_COUNT_HEADER } from '../vault/bars.ts';

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });

/** A count with thousands separators, for messages. */
function counted(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Registers GET /accounts/:id/bars.pdf under `limits` (the bars a list may hold, prints at once). */
export function registerBarListPdf(
  app: Api,
  context: ServerContext,
  limits: Pick<ServerLimits, 'pdf_bars_max' | 'pdf_renders_max' | 'retry_after_s'> = SERVER_LIMITS,
): void {
  let printing = 0;
  app.get(
    '/accounts/:id/bars.pdf',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['reports'],
        summary: 'the bar list of a custody account at a date, as PDF (streamed)',
        description:
          'A numbered copy, printed only for a user cleared for its classification (confidential). ' +
          'Streamed as it is drawn (no Content-Length; x-row-count says how many bars it lists). ' +
          `A list of more than ${counted(limits.pdf_bars_max)} bars is refused (422 download_too_large: ` +
          `take the CSV); with ${limits.pdf_renders_max} lists printing already, 503 with Retry-After.`,
        params: Type.Object({ id: Identifier }),
        querystring: Type.Object({ date: Type.Optional(IsoDate) }),
        response: { 200: Binary, ...errorResponses(403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const ingot = actingAs(context.ingot, user);
      const { id } = request.params;
      const hidden = await visibleAccount(ingot, user, await context.depository(), id, 'id');
      if (hidden) return sendRefusal(reply, hidden);
      const date = request.query.date ? checkDate(request.query.date, 'date') : today();
      if (printing >= limits.pdf_renders_max) {
        reply.header('retry-after', String(limits.retry_after_s));
        return sendRefusal(reply, {
          code: 'service_unavailable',
          message:
            `${printing} bar lists are being printed already, the most at once; ` +
            `retry after ${limits.retry_after_s} s`,
        });
      }
      const classification = 'confidential' as const;
      const opened = await openBarListPrint(ingot, {
        account_id: id,
        date,
        user_id: user.id,
        classification,
      });
      if (!opened.ok) return sendRefusal(reply, opened);
      const { bars } = opened.opened;
      if (bars > limits.pdf_bars_max) {
        await opened.opened.cancel();
        return sendRefusal(reply, {
          code: 'download_too_large',
          message:
            `${id} holds ${counted(bars)} bars on ${date}, more than the ${counted(limits.pdf_bars_max)} ` +
            `a printed bar list may hold; download it as CSV (/accounts/${id}/bars.csv?date=${date})`,
          field: 'id',
        });
      }
      const printed = await opened.opened.print();
      if (!printed.ok) return sendRefusal(reply, printed);
      // pdfkit and its fonts take a second to load: only a request that prints pays for them.
      const { barListPdfChunks } = await import('../../../documents/barlist-stream.ts');
      const { plan } = printed.print;
      printing += 1;
      const stream = Readable.from(barListPdfChunks(plan, yielding(printed.print.bars)));
      stream.once('close', () => {
        printing -= 1;
      });
      reply.type('application/pdf');
      reply.header('content-disposition', `attachment; filename="bars-${id}.pdf"`);
      reply.header(ROW_COUNT_HEADER, String(bars));
      return reply.send(stream);
    },
  );
}
