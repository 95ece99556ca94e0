// One line per delivery, as `stripe listen` prints them:
//   2026-11-29T21:00:00Z  upload.available  019ad2c4-…  q3 report.pdf  (msg_…)

/** A verified event: when it happened, its type, the upload and the message id. */
export function eventLine(event, messageId, again = false) {
  const data = event?.data ?? {};
  const subject =
    event?.type === 'webhook.test'
      ? [`endpoint ${data.endpointId}`]
      : [data.id, data.fileName && clean(data.fileName), data.statusReason && clean(data.statusReason)];
  const fields = [seconds(event?.timestamp), clean(event?.type ?? 'unknown'), ...subject].filter(Boolean);
  // A retry or replay that was already answered 2xx keeps its webhook-id: say it is the same event.
  return `${fields.join('  ')}  (${clean(messageId)}${again ? ', again' : ''})`;
}

/** A refused delivery, with the reason the receiver answered 400 or 413. */
export function rejectedLine(headers, reason) {
  const id = headers['webhook-id'] ? clean(String(headers['webhook-id'])) : 'no webhook-id';
  return `${seconds(new Date().toISOString())}  rejected: ${reason}  (${id})`;
}

/** ISO 8601 to the second: the lines line up, and the API's milliseconds add nothing here. */
function seconds(iso) {
  const time = new Date(iso ?? Date.now());
  return (Number.isNaN(time.getTime()) ? new Date() : time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * File names come from whoever uploaded them: control and bidirectional-override characters could
 * break the one-line format or drive the terminal, so they print as `?`.
 */
function clean(text) {
  return String(text).replace(/[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu, '?');
}
