// HttpPort over UrlFetchApp: HTTP errors come back as answers (muteHttpExceptions), exceptions
// (no connection, DNS, timeout, an address not in urlFetchWhitelist) as failures. Bodies go as
// plain UTF-8 JSON, exactly the bytes signed (no hand-set Content-Encoding: see relay-client.ts).

import type { HttpPort, HttpRequest } from '../core/ports';
import type { HttpResult } from '../core/relay-answer';

export const urlFetchPort: HttpPort = {
  fetch(req: HttpRequest): HttpResult {
    const headers: Record<string, string> = { ...req.headers };
    const params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {
      method: req.method,
      headers,
      muteHttpExceptions: true,
      // A redirect would resend the body elsewhere; the relay never redirects, so show it instead.
      followRedirects: false,
    };
    if (req.body !== undefined) {
      params.contentType = 'application/json; charset=utf-8';
      params.payload = req.body;
    }
    try {
      const response = UrlFetchApp.fetch(req.url, params);
      return { status: response.getResponseCode(), text: response.getContentText() };
    } catch (err) {
      return { failure: err instanceof Error ? err.message : String(err) };
    }
  },
};
