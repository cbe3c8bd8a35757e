// Purpose: analyze's findings, as the export carries them: worst first, each with its entry point,
//   crown jewel, cost, and the nodes of its cheapest path in order (FINDING_PATH.order).
// Parameters: $cluster (the export's --cluster), $severities (which to list).
// Example: {"cluster": "default", "severities": ["critical", "high", "medium", "low"]}
MATCH (f:Finding {cluster: $cluster})
WHERE f.severity IN $severities
MATCH (f)-[step:FINDING_PATH]->(n)
WITH f, step, n ORDER BY step.order
RETURN f.rank AS rank, f.severity AS severity, f.title AS title, f.cost AS cost, f.certainty AS certainty,
       f.source AS entry, f.target AS jewel, collect(n.id) AS path
ORDER BY rank
