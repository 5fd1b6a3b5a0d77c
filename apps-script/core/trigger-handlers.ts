// The add-on's trigger handler functions (exports of main.ts). `handleEdit`, not `onEdit`, so no
// simple trigger runs as well.

export const HANDLERS = { edit: 'handleEdit', change: 'handleChange', hourly: 'retryQueue' } as const;

/** How many triggers Connect gives each user in a document. */
export const TRIGGERS_PER_DOCUMENT = Object.keys(HANDLERS).length;

/** Apps Script's limit: "Triggers: 20 / user / script" (quotas page). */
export const TRIGGERS_PER_USER_LIMIT = 20;
