// Purpose: pods the Internet reaches that can also escape to their node: one exploit from owning a node.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (:Internet {cluster: $cluster})-[:CAN_REACH]->(pod:Pod)-[e:ESCAPES_TO]->(node:Node)
RETURN pod.id AS pod, node.id AS node, collect(DISTINCT e.escape) AS techniques
ORDER BY pod
