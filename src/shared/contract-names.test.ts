/**
 * A type test: tsc (`npm run typecheck`) fails if a `@ts-expect-error` below stops being an
 * error, i.e. if a name list and a payload map could disagree and still compile.
 */
import { expect, expectTypeOf, it } from 'vitest';
import type { EventNamesAgree, EventPayloads, NamesAgree, RequestNamesAgree, RequestResults } from './contract';
import { eventNames, requestNames } from './names';

type Agree<T extends true> = T;

it('the name lists and the payload maps of the contract agree', () => {
  expectTypeOf<EventNamesAgree>().toEqualTypeOf<true>();
  expectTypeOf<RequestNamesAgree>().toEqualTypeOf<true>();
  expectTypeOf<(typeof requestNames)[number]>().toEqualTypeOf<keyof RequestResults>();
  // The types cannot see a name listed twice; a transport would then deliver an event twice.
  expect(new Set(eventNames).size).toBe(eventNames.length);
  expect(new Set(requestNames).size).toBe(requestNames.length);
});

it('an event only in the payload map, or only in the list, does not compile', () => {
  type WithExtraPayload = EventPayloads & { repositoryRenamed: { readonly from: string } };
  // @ts-expect-error 'repositoryRenamed' is mapped but not listed: both transports would drop it.
  type _MappedOnly = Agree<NamesAgree<(typeof eventNames)[number], keyof WithExtraPayload>>;
  // @ts-expect-error 'repositoryRenamed' is listed but has no payload type.
  type _ListedOnly = Agree<NamesAgree<(typeof eventNames)[number] | 'repositoryRenamed', keyof EventPayloads>>;
  expectTypeOf<NamesAgree<'a' | 'b', 'b'>>().toEqualTypeOf<{ readonly listedButNotMapped: 'a'; readonly mappedButNotListed: never }>();
});
