// Classifications of correspondence and the clearances of the people who may open it.

/** The classifications, lowest first: a clearance for one opens it and everything below. */
export const CLASSIFICATIONS = ['confidential', 'secret', 'top_secret'] as const;
/** A classification of a message or document. */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Reads "Confidential", "SECRET", "top secret" or "top-secret"; null when it is none of them. */
export function parseClassification(text: string): Classification | null {
  const normalized = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (CLASSIFICATIONS as readonly string[]).includes(normalized) ? (normalized as Classification) : null;
}

/** The classification as it is stamped on paper: "TOP SECRET". */
export function stampOf(classification: Classification): string {
  return classification.replace('_', ' ').toUpperCase();
}

/** True when a user cleared to `clearance` (null: not cleared) may open `classification`. */
export function mayOpen(clearance: Classification | null, classification: Classification): boolean {
  if (clearance === null) return false;
  return CLASSIFICATIONS.indexOf(clearance) >= CLASSIFICATIONS.indexOf(classification);
}
