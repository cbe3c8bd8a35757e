// Purpose: container escapes by node: which pods can take over which node, and how.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (pod:Pod {cluster: $cluster})-[e:ESCAPES_TO]->(node:Node)
RETURN node.id AS node, count(DISTINCT pod) AS pods, collect(DISTINCT pod.id) AS escaping, collect(DISTINCT e.escape) AS techniques
ORDER BY pods DESC, node
