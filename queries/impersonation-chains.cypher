// Purpose: impersonation chains: identities that become another by impersonating, up to three times
//   in a row, ending at one that holds cluster-admin or can read secrets.
// Parameters: $cluster (the export's --cluster).
// Example: {"cluster": "default"}
MATCH p = (who:KubepathNode {cluster: $cluster})-[:CAN_IMPERSONATE*1..3]->(end:KubepathNode)
WHERE (end)-[:IS_CLUSTER_ADMIN]->(:ClusterAdmin) OR (end)-[:CAN_READ_SECRET]->(:Secret) OR end:ClusterAdmin
RETURN who.id AS identity, [n IN nodes(p) | n.id] AS chain, length(p) AS steps
ORDER BY steps, identity, chain
LIMIT 100
