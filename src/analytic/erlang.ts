/**
 * Erlang C: the M/M/c queue in steady state — the analytic reference the
 * simulator is checked against (examples/scenarios/mmc.json).
 *
 * With offered load a = λ/μ and utilisation ρ = a/c < 1:
 *   P(wait) = C(c, a) = [a^c / c! · 1/(1 − ρ)] / [Σ_{k<c} a^k/k! + a^c / c! · 1/(1 − ρ)]
 *   E[Wq] = C / (cμ − λ),  P(Wq > t) = C · exp(−(cμ − λ) t).
 * Computed with the numerically stable Erlang B recursion
 * B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1)), then C = B / (1 − ρ(1 − B)).
 */
export interface ErlangC {
  /** Probability an arrival has to wait. */
  pWait: number;
  /** Mean wait in queue (units of 1/λ). */
  meanWait: number;
  /** Server utilisation ρ = λ / (cμ). */
  utilisation: number;
  /** P(wait > t). */
  waitExceeds: (t: number) => number;
}

/**
 * @example
 * erlangC({ lambda: 3, mu: 1, c: 4 }).pWait // 0.5094… (= 27/53)
 */
export function erlangC({ lambda, mu, c }: { lambda: number; mu: number; c: number }): ErlangC {
  if (!(lambda > 0 && mu > 0 && Number.isInteger(c) && c >= 1))
    throw new RangeError("erlangC: expected lambda > 0, mu > 0 and a whole number of servers c >= 1");
  const a = lambda / mu,
    rho = a / c;
  if (!(rho < 1)) throw new RangeError(`erlangC: the queue is unstable (λ/(cμ) = ${rho} >= 1)`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const pWait = b / (1 - rho * (1 - b));
  const rate = c * mu - lambda;
  return {
    pWait,
    meanWait: pWait / rate,
    utilisation: rho,
    waitExceeds: (t: number) => (t < 0 ? 1 : pWait * Math.exp(-rate * t)),
  };
}
