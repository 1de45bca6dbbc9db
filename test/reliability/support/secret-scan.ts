/** Where a secret was found in captured output. */
export interface SecretHit {
  /** The captured piece's label (`log`, `error`, `metrics`, `spans`). */
  label: string;
  /** Which configured key (by provider name, never its value). */
  key: string;
  /** A short, redacted excerpt around the hit. */
  excerpt: string;
}

/** Finds every occurrence of any `secrets` value in `pieces`. Excerpts show the key as `<provider key>`. */
export function scanForSecrets(
  pieces: ReadonlyArray<{ label: string; value: string }>,
  secrets: Readonly<Record<string, string>>,
): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const piece of pieces) {
    for (const [name, secret] of Object.entries(secrets)) {
      let at = piece.value.indexOf(secret);
      while (at !== -1) {
        const excerpt = piece.value
          .slice(Math.max(0, at - 60), at + secret.length + 60)
          .split(secret)
          .join(`<${name} key>`);
        hits.push({ label: piece.label, key: name, excerpt });
        at = piece.value.indexOf(secret, at + secret.length);
      }
    }
  }
  return hits;
}
