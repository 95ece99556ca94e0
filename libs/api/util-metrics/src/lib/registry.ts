import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's one registry, which the metrics port serves. Every metric is defined once, when
 * its module is first loaded, on this registry rather than prom-client's global one: however
 * many Nest apps a process (or a jest worker) builds, nothing is registered twice.
 */
export const metricsRegistry = new Registry();

// CPU, memory, event-loop lag, handles, GC: the process's own health, beside what it does.
collectDefaultMetrics({ register: metricsRegistry });
