import { behindText, timeAgo } from '../../../apps-script/sidebar/format';

describe('the sidebar’s wording of times and counts', () => {
  it('says how long ago, in the largest sensible unit', () => {
    const now = 1_000_000_000;
    expect([0, 44_000, 60_000, 59 * 60_000, 3 * 3_600_000, 49 * 3_600_000].map((d) => timeAgo(now - d, now))).toEqual(['just now', 'just now', '1 min ago', '59 min ago', '3 h ago', '2 days ago']);
  });

  it('says how far a Figma file is behind', () => {
    expect([behindText(undefined), behindText(0), behindText(1), behindText(4)]).toEqual(['not applied yet', 'up to date', '1 change behind', '4 changes behind']);
  });
});
