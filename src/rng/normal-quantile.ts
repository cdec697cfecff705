/**
 * Standard normal quantile by Acklam's rational approximation (relative
 * error below 1.15e-9 over (0, 1)); one uniform per normal draw keeps
 * stream consumption fixed.
 */
export function normalQuantile(p: number): number {
  const a1 = -3.969683028665376e1,
    a2 = 2.209460984245205e2,
    a3 = -2.759285104469687e2,
    a4 = 1.38357751867269e2,
    a5 = -3.066479806614716e1,
    a6 = 2.506628277459239;
  const b1 = -5.447609879822406e1,
    b2 = 1.615858368580409e2,
    b3 = -1.556989798598866e2,
    b4 = 6.680131188771972e1,
    b5 = -1.328068155288572e1;
  const c1 = -7.784894002430293e-3,
    c2 = -3.223964580411365e-1,
    c3 = -2.400758277161838,
    c4 = -2.549732539343734,
    c5 = 4.374664141464968,
    c6 = 2.938163982698783;
  const d1 = 7.784695709041462e-3,
    d2 = 3.224671290700398e-1,
    d3 = 2.445134137142996,
    d4 = 3.754408661907416;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p <= 1 - 0.02425) {
    const q = p - 0.5,
      r = q * q;
    return (
      ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
      (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
}
