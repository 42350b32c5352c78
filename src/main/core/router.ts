import type * as z from 'zod/mini';
import { requestSchemas, type ParsedArg, type RequestResult } from '../../shared/contract';
import { isRequestName, type RequestName } from '../../shared/names';
import { fail, ok, type Result } from '../../shared/result';
import { toResultError } from './base/errors';
import type { Logger } from './log/logger';

/** What a transport knows about a request besides its argument. */
export interface RequestContext {
  /** Aborts when the client went away (HTTP connection closed, window gone): long requests stop. */
  readonly signal?: AbortSignal | undefined;
}

export type Handlers = {
  readonly [N in RequestName]: (arg: ParsedArg<N>, context?: RequestContext) => Promise<RequestResult<N>> | RequestResult<N>;
};

export type Dispatch = (name: string, rawArg: unknown, context?: RequestContext) => Promise<Result<unknown>>;

/**
 * The single entry of every request from every transport: the name is checked, the
 * argument parsed against its schema, and only then does a service see it.
 */
export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (name, rawArg, context = {}) => {
    if (!isRequestName(name)) {
      return fail('unknown_request', `Unknown request "${String(name).slice(0, 100)}"`);
    }
    const schema = requestSchemas[name] as z.ZodMiniType;
    const parsed = schema.safeParse(rawArg);
    if (!parsed.success) {
      const message = `Invalid argument for ${name}: ${describeIssues(parsed.error)}`;
      logger.warn(message);
      return fail('bad_request', message);
    }
    try {
      const handler = handlers[name] as (arg: unknown, context: RequestContext) => unknown;
      return ok(await handler(parsed.data, context));
    } catch (error) {
      const resultError = toResultError(error);
      const line = `${name} failed: ${resultError.message}`;
      if (resultError.code === 'internal') {
        logger.error(line, { code: resultError.code });
      } else {
        logger.warn(line, { code: resultError.code });
      }
      return { ok: false, error: resultError };
    }
  };
}

/** A schema's complaints as the message a caller sees (the first five). */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
