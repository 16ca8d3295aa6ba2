export interface AgentTraceOptions {
  /** The service name beside each operation; off for narrow panels. */
  showService: boolean;
}
