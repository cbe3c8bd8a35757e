// Purpose: who reaches pods through the kubelet API (nodes/proxy), which RBAC audits tend to miss:
//   the CAN_EXEC edges whose evidence is a nodes/proxy grant.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH (who:KubepathNode {cluster: $cluster})-[e:CAN_EXEC]->(pod:Pod)
WHERE e.evidence CONTAINS 'nodes/proxy'
RETURN who.id AS identity, count(pod) AS pods, collect(DISTINCT e.certainty) AS certainty
ORDER BY pods DESC, identity
