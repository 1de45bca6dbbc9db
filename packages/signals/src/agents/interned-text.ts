const texts = new Map<string, string>();

/**
 * One shared copy of `text`. Agents build their fixed texts (a HOLD summary, a factor name) from
 * their parameters; with an agent per symbol, 5 000 symbols would otherwise keep 5 000 equal copies,
 * spread through the memory the engine walks on every bar. Only construction-time texts come here:
 * the set of distinct ones is as small as the set of distinct parameters.
 */
export function interned(text: string): string {
  const known = texts.get(text);
  if (known !== undefined) return known;
  texts.set(text, text);
  return text;
}
