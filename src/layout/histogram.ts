/**
 * Fixed-layout log-linear histograms for durations in hours. Every histogram
 * has the same bins, so histograms from different replications, workers or
 * machines merge by adding counts.
 *
 * Layout: bin 0 holds [0, MIN) (including exact zeros, e.g. no queue wait);
 * then OCTAVES octaves from MIN = 2^-12 h (≈ 0.9 s) up to 2^14 h (≈ 1.9
 * years), each split into SUB = 64 equal-width bins, so a bin is at most
 * 1/64 (1.6%) of its lower edge wide; the last bin also takes anything
 * larger. Quantiles interpolate linearly within the bin (definition: the
 * smallest v with F(v) ≥ q under that piecewise-linear CDF).
 */
export const HIST_MIN = 2 ** -12;
export const HIST_OCTAVES = 26;
export const HIST_SUB = 64;
export const HIST_BINS = 1 + HIST_OCTAVES * HIST_SUB;
