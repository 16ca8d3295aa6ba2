/**
 * The rules every incident is tagged with when no rules file says otherwise, written as a rules file would be.
 * Categories run from the weakest to the strongest claim, so the last that holds wins: saturation, latency,
 * errors, availability; "change" only when no symptom matched. Titles count too, so alerts without evidence
 * (perception has not run yet) are still categorised.
 */
export const DEFAULT_TAG_RULES_YAML = `
rules:
  - name: category-saturation
    when: >-
      evidence.exists(e, e.kind == "metric_anomaly" && e.signal == "saturation" && e.score >= 0.5)
      || incident.title.lowerAscii().matches("cpu|memory|saturat|throttl|oom|disk full|pool exhaust")
    tags: { category: saturation }

  - name: category-latency
    when: >-
      evidence.exists(e, (e.kind == "metric_anomaly" && e.signal == "latency" && e.direction == "up" && e.score >= 0.5)
        || (e.kind == "trace_latency" && e.score >= 0.5))
      || incident.title.lowerAscii().matches("latency|slow|timeout|p9[59]")
    tags: { category: latency }

  - name: category-errors
    when: >-
      evidence.exists(e, (e.kind == "metric_anomaly" && e.signal == "errors" && e.direction == "up" && e.score >= 0.5)
        || (e.kind == "trace_errors" && e.score >= 0.5)
        || (e.kind == "log_template" && e.change != "vanishing" && e.score >= 0.5 && e.template.lowerAscii().matches("error|exception|fail|panic")))
      || incident.title.lowerAscii().matches("error|5xx|fail|exception")
    tags: { category: errors }

  - name: category-availability
    when: >-
      evidence.exists(e, e.kind == "metric_anomaly"
        && ((e.signal == "errors" && e.value >= 0.9)
          || (e.signal == "traffic" && e.direction == "down" && e.baseline > 0.0 && e.value <= 0.05 * e.baseline)))
      || incident.title.lowerAscii().matches("down|unavailable|unreachable|targetmissing|absent|crashloop")
    tags: { category: availability }

  - name: category-change
    when: 'size(changes) > 0 && !("category" in tags)'
    tags: { category: change }

  - name: change-window
    when: 'changes.exists(c, c.relation == "service")'
    values: { change: 'changes.filter(c, c.relation == "service")[0].id' }

  - name: impact
    when: 'size(impact.services) > 0'
    values: { impact: 'impact.summary' }

  - name: business-capabilities
    when: 'size(impact.capabilities) > 0'
    values: { capabilities: 'impact.capabilities.join(",")' }

  - name: environment
    when: 'incident.services.exists(s, s in cmdb && cmdb[s].tier != "")'
    values: { environment: 'incident.services.filter(s, s in cmdb && cmdb[s].tier != "").map(s, cmdb[s].tier).distinct().join(",")' }

  - name: customer-facing
    when: 'impact.customerFacing'
    tags: { customerFacing: "true" }
`;
