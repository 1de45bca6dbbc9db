/** Deterministic four-letter tickers for the stream bench (valid in core's grammar and Polygon's dialect). */
export function benchTickers(n: number): string[] {
  const out: string[] = [];
  const A = 'A'.charCodeAt(0);
  for (let i = 0; out.length < n; i++) {
    let x = i;
    let t = '';
    for (let k = 0; k < 4; k++) {
      t = String.fromCharCode(A + (x % 26)) + t;
      x = Math.floor(x / 26);
    }
    out.push(`Z${t}`);
  }
  return out;
}
