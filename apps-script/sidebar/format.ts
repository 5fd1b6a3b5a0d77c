// Wording of times and counts in the sidebar.

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const hours = Math.round(min / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** "for 24 h more", "for 40 min more", "for a moment more": how long something is kept from now. */
export function timeLeft(until: number, now: number): string {
  const min = Math.max(0, Math.round((until - now) / 60_000));
  if (min < 1) return 'for a moment more';
  if (min < 90) return `for ${min} min more`;
  return `for ${Math.round(min / 60)} h more`;
}

/** "up to date", "1 change behind", "4 changes behind", "not applied yet". */
export function behindText(behind: number | undefined): string {
  if (behind === undefined) return 'not applied yet';
  if (behind === 0) return 'up to date';
  return `${behind} change${behind === 1 ? '' : 's'} behind`;
}
