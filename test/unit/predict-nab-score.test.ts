import { describe, expect, it } from 'vitest';
import {
  NAB_PROFILES,
  type NabFile,
  normalise,
  nullRaw,
  perfectRaw,
  probationaryLength,
  scaledSigmoid,
  scoreByThreshold,
  scoreCorpus,
  sweepFile,
} from '../../src/predict/anomaly/nab.js';

const standard = NAB_PROFILES.standard;
const maxTP = 2 / (1 + Math.exp(-5)) - 1;

/** 100 rows at t = 0..99, one window over rows 60–69 (probation: the first 15 rows). */
const file: NabFile = { name: 'f.csv', timestamps: Array.from({ length: 100 }, (_, i) => i), windows: [[60, 69]] };

function scoresWith(flags: Record<number, number>): number[] {
  return file.timestamps.map((t) => flags[t] ?? 0);
}

describe('NAB scoring', () => {
  it('weighs a position with the scaled sigmoid: window start ≈0.987, right edge 0, far past -1', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  it('learns for 15% of a file, at most 750 rows', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(4032)).toBe(604);
    expect(probationaryLength(22_695)).toBe(750);
  });

  it('scores a detection at the first row of a window as a full true positive', () => {
    expect(scoreCorpus([file], [scoresWith({ 60: 1 })], standard).raw).toBeCloseTo(1, 12);
  });

  it('scores a detection at the last row of a window by the sigmoid of -1/width', () => {
    const expected = (2 / (1 + Math.exp(-0.5)) - 1) / maxTP;
    expect(scoreCorpus([file], [scoresWith({ 69: 1 })], standard).raw).toBeCloseTo(expected, 12);
  });

  it('counts a window once, by its earliest detection, and every false positive', () => {
    // Rows 62 and 65 in the window, row 30 before any window (-fpWeight), row 79 after it.
    const raw = scoreCorpus([file], [scoresWith({ 30: 1, 62: 1, 65: 1, 79: 1 })], standard).raw;
    const tp = (2 / (1 + Math.exp(-5 * (8 / 10))) - 1) / maxTP;
    const after = (2 / (1 + Math.exp(5 * (10 / 9))) - 1) * standard.fpWeight;
    expect(raw).toBeCloseTo(tp - standard.fpWeight + after, 12);
  });

  it('ignores detections in the probationary rows', () => {
    expect(scoreCorpus([file], [scoresWith({ 3: 1 })], standard).raw).toBeCloseTo(-1, 12);
  });

  it('chooses the threshold with the best total: a true positive under a false positive is worth flagging both', () => {
    const swept = sweepFile(file, scoresWith({ 30: 0.9, 60: 0.8 }), standard);
    const byThreshold = scoreByThreshold(swept, standard);
    expect(byThreshold.map((s) => s.threshold)).toEqual([1.1, 0.9, 0.8, 0]);
    expect(byThreshold[0].score).toBeCloseTo(-1, 12);
    expect(byThreshold[1].score).toBeCloseTo(-1 - 0.11, 12);
    expect(byThreshold[2].score).toBeCloseTo(1 - 0.11, 12);
    const best = scoreCorpus([file], [scoresWith({ 30: 0.9, 60: 0.8 })], standard);
    expect(best.threshold).toBe(0.8);
    expect(best.raw).toBeCloseTo(0.89, 12);
  });

  it('weights missed windows by the profile: reward_low_FN_rate doubles the cost of a miss', () => {
    expect(nullRaw([file], NAB_PROFILES.reward_low_FN_rate)).toBe(-2);
    expect(nullRaw([file], standard)).toBe(-1);
  });

  it('normalises the null detector to 0 and the perfect one to 100', () => {
    const files: NabFile[] = [
      file,
      {
        name: 'g.csv',
        timestamps: file.timestamps,
        windows: [
          [20, 29],
          [80, 89],
        ],
      },
    ];
    for (const profile of Object.values(NAB_PROFILES)) {
      const nul = nullRaw(files, profile);
      const perfect = perfectRaw(files, profile);
      const perfectScores = files.map((f) => f.timestamps.map((t) => (f.windows.some(([a]) => a === t) ? 1 : 0)));
      expect(normalise(nul, nul, perfect)).toBe(0);
      expect(normalise(scoreCorpus(files, perfectScores, profile).raw, nul, perfect)).toBeCloseTo(100, 10);
    }
  });

  it('refuses scores that do not match the rows one for one', () => {
    expect(() => sweepFile(file, [0, 1], standard)).toThrow(/2 anomaly scores for 100 rows/);
  });
});
