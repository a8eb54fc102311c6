/**
 * Types of parse-prometheus-text-format (a CommonJS package without its own), as its README
 * documents the output (prom2json's shape): tests only, to read what GET /metrics serves.
 */
declare module "parse-prometheus-text-format" {
  export interface PrometheusSample {
    /** As written in the exposition ("1", "0.25", "+Inf"). */
    value: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }
  export interface PrometheusHistogramSample {
    buckets: Record<string, string>;
    count: string;
    sum: string;
    labels?: Record<string, string>;
  }
  export interface PrometheusSummarySample {
    quantiles: Record<string, string>;
    count: string;
    sum: string;
    labels?: Record<string, string>;
  }
  export interface PrometheusFamily {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    metrics: Array<PrometheusSample | PrometheusHistogramSample | PrometheusSummarySample>;
  }
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
