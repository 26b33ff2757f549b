import { describe, expect, test } from 'vitest';
import { mayOpen, parseClassification, stampOf } from './classification.ts';

describe('classifications', () => {
  test.each([
    ['Confidential', 'confidential'],
    ['SECRET', 'secret'],
    ['top secret', 'top_secret'],
    ['Top-Secret', 'top_secret'],
    ['restricted', null],
  ])('reads %s as %s', (text, expected) => {
    expect(parseClassification(text)).toBe(expected);
  });

  test.each([
    [null, 'confidential', false],
    ['confidential', 'confidential', true],
    ['confidential', 'secret', false],
    ['secret', 'confidential', true],
    ['secret', 'top_secret', false],
    ['top_secret', 'top_secret', true],
  ] as const)('a user cleared %s opening %s: %s', (clearance, classification, allowed) => {
    expect(mayOpen(clearance, classification)).toBe(allowed);
  });

  test('is stamped in capitals', () => {
    expect(stampOf('top_secret')).toBe('TOP SECRET');
  });
});
