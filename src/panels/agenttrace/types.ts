export interface AgentTraceOptions {
  /** The service name beside each operation; off for narrow panels. */
  showService: boolean;
  /** The Tempo datasource for "View in Tempo"; when empty, the one the IntelOps datasource's settings name. */
  tempoDatasourceUid?: string;
}
