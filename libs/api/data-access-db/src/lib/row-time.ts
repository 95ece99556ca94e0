/** A row's time as the API's answers and events give it: ISO 8601 in UTC (pg may hand back a string). */
export const isoTime = (value: Date | string): string => new Date(value).toISOString();
